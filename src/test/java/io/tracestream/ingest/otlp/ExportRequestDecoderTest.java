package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.Otlp.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExportRequestDecoderTest {

    /** The OTLP specification's own example (opentelemetry-proto examples/trace.json): upper-case hex, times as strings. */
    static final String SPEC_EXAMPLE = """
            {
              "resourceSpans": [
                {
                  "resource": {
                    "attributes": [ { "key": "service.name", "value": { "stringValue": "my.service" } } ]
                  },
                  "scopeSpans": [
                    {
                      "scope": {
                        "name": "my.library", "version": "1.0.0",
                        "attributes": [ { "key": "my.scope.attribute", "value": { "stringValue": "some scope attribute" } } ]
                      },
                      "spans": [
                        {
                          "traceId": "5B8EFFF798038103D269B633813FC60C",
                          "spanId": "EEE19B7EC3C1B174",
                          "parentSpanId": "EEE19B7EC3C1B173",
                          "name": "I'm a server span",
                          "startTimeUnixNano": "1544712660000000000",
                          "endTimeUnixNano": "1544712661000000000",
                          "kind": 2,
                          "attributes": [
                            { "key": "my.span.attr", "value": { "stringValue": "some value" } }
                          ]
                        }
                      ]
                    }
                  ]
                }
              ]
            }
            """;

    private static ExportTraceServiceRequest json(String body) throws OtlpDecodingException {
        return ExportRequestDecoder.fromJson(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonError(String body) {
        return assertThrows(OtlpDecodingException.class, () -> json(body)).getMessage();
    }

    private static Span onlySpan(ExportTraceServiceRequest r) {
        return r.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    @Test
    void protobufBytesDecodeToTheSameRequest() throws Exception {
        ExportTraceServiceRequest sent = GenAiMappingTest.codeReviewRun();
        assertEquals(sent, ExportRequestDecoder.fromProtobuf(sent.toByteArray()));
    }

    @Test
    void anEmptyProtobufBodyIsARequestWithoutSpans() throws Exception {
        assertEquals(0, ExportRequestDecoder.fromProtobuf(new byte[0]).getResourceSpansCount());
    }

    /**
     * A request as OTLP/JSON: protobuf's own proto3 JSON with the ids turned into hex, the way an
     * OTLP exporter writes them (int64s as strings, enums as names: JsonFormat's printer).
     */
    private static final java.util.Set<String> ID_MEMBERS = java.util.Set.of("traceId", "spanId", "parentSpanId");

    static byte[] asOtlpJson(ExportTraceServiceRequest request) throws Exception {
        String proto3 = JsonFormat.printer().print(request);
        JsonValue tree = JsonFactories.reader(new StringReader(proto3)).readValue();
        return hexIds(tree).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonValue hexIds(JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                JsonObjectBuilder out = JsonFactories.object();
                value.asJsonObject().forEach((k, v) -> out.add(k, ID_MEMBERS.contains(k)
                        ? JsonFactories.provider().createValue(HexFormat.of().formatHex(
                                Base64.getDecoder().decode(((JsonString) v).getString())))
                        : hexIds(v)));
                return out.build();
            }
            case ARRAY -> {
                JsonArrayBuilder out = JsonFactories.array();
                value.asJsonArray().forEach(v -> out.add(hexIds(v)));
                return out.build();
            }
            default -> {
                return value;
            }
        }
    }

    @Test
    void anOtlpJsonBodyDecodesToTheSameRequestAsItsProtobuf() throws Exception {
        ExportTraceServiceRequest sent = GenAiMappingTest.codeReviewRun();
        byte[] json = asOtlpJson(sent);
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"traceId\":\"" + Otlp.TRACE + "\""));
        assertEquals(sent, ExportRequestDecoder.fromJson(json));
    }

    @Test
    void otlpJsonHexIdsBecomeTheIdBytesWhateverTheirCase() throws Exception {
        Span span = onlySpan(json(SPEC_EXAMPLE));
        assertEquals(bytes("5b8efff798038103d269b633813fc60c"), span.getTraceId());
        assertEquals(bytes("eee19b7ec3c1b174"), span.getSpanId());
        assertEquals(bytes("eee19b7ec3c1b173"), span.getParentSpanId());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", OtlpIds.hex(bytes("4BF92F3577B34DA6A3CE929D0E0E4736")));
    }

    @Test
    void integerEnumsAndStringInt64sAreReadAsJsonFormatReadsThem() throws Exception {
        Span span = onlySpan(json(SPEC_EXAMPLE));
        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.getKind(), "kind 2");
        assertEquals(1_544_712_660_000_000_000L, span.getStartTimeUnixNano(), "a string");
        assertEquals(1_544_712_661_000_000_000L, span.getEndTimeUnixNano());
        assertEquals("my.service", json(SPEC_EXAMPLE).getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue());
    }

    @Test
    void int64sAsNumbersEnumNamesAndSnakeCaseFieldNamesAreAcceptedToo() throws Exception {
        ExportTraceServiceRequest r = json("""
                {"resource_spans":[{"scope_spans":[{"spans":[{
                  "trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","parent_span_id":"",
                  "name":"chat gpt-4o","kind":"SPAN_KIND_CLIENT",
                  "start_time_unix_nano":1767225600000000000,"end_time_unix_nano":1767225601500000000,
                  "status":{"code":"STATUS_CODE_ERROR","message":"boom"},
                  "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"int_value":42}},
                                {"key":"gen_ai.usage.output_tokens","value":{"intValue":"7"}}]}]}]}]}
                """);
        Span span = onlySpan(r);
        assertEquals(bytes("0af7651916cd43dd8448eb211c80319c"), span.getTraceId());
        assertTrue(span.getParentSpanId().isEmpty(), "an empty parent id is a root");
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.getKind());
        assertEquals(1_767_225_601_500_000_000L, span.getEndTimeUnixNano());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getCode());
        assertEquals(42, span.getAttributes(0).getValue().getIntValue());
        assertEquals(7, span.getAttributes(1).getValue().getIntValue());
    }

    @Test
    void anIntegerStatusCodeIsRead() throws Exception {
        Span span = onlySpan(json("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c",
                 "spanId":"b7ad6b7169203331","status":{"code":2}}]}]}]}
                """));
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getCode());
    }

    @Test
    void enumValuesThisVersionDoesNotKnowAreKeptAsUnrecognisedNotRefused() throws Exception {
        // As JsonFormat's ignoringUnknownFields does for names; a number is kept as proto3 keeps it.
        Span byName = onlySpan(json("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SPAN_KIND_SIDEWAYS\"}]}]}]}"));
        assertEquals(Span.SpanKind.SPAN_KIND_UNSPECIFIED, byName.getKind());
        Span byNumber = onlySpan(json("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":9,\"status\":{\"code\":7}}]}]}]}"));
        assertEquals(Span.SpanKind.UNRECOGNIZED, byNumber.getKind());
        assertEquals(Status.StatusCode.UNRECOGNIZED, byNumber.getStatus().getCode());
    }

    @Test
    void linkIdsAreHexTooAndBytesAttributeValuesStayBase64() throws Exception {
        Span span = onlySpan(json("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c",
                 "spanId":"b7ad6b7169203331",
                 "links":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}],
                 "attributes":[{"key":"payload","value":{"bytesValue":"AAEC"}}]}]}]}]}
                """));
        assertEquals(bytes("4bf92f3577b34da6a3ce929d0e0e4736"), span.getLinks(0).getTraceId());
        assertEquals(bytes("00f067aa0ba902b7"), span.getLinks(0).getSpanId());
        assertEquals(AnyValue.ValueCase.BYTES_VALUE, span.getAttributes(0).getValue().getValueCase());
        assertEquals(3, span.getAttributes(0).getValue().getBytesValue().size());
    }

    @Test
    void unknownFieldsFromNewerExportersAreSkipped() throws Exception {
        Span span = onlySpan(json("""
                {"resourceSpans":[{"schemaUrl":"https://opentelemetry.io/schemas/1.30.0","futureThing":{"a":[1,2]},
                 "scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331",
                 "flags":257,"brandNewField":"x","name":"n"}]}]}]}
                """));
        assertEquals("n", span.getName());
    }

    @Test
    void malformedJsonIsADecodingErrorSayingWhere() {
        String message = jsonError("{\"resourceSpans\": [ {\"scopeSpans\": ");
        assertTrue(message.startsWith("malformed JSON"), message);
        assertTrue(jsonError("{\"resourceSpans\": [}").startsWith("malformed JSON at line 1"));
        jsonError("");
        jsonError("   ");
    }

    private static final String ONE_SPAN = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
            + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"first\"}]}]}]}";

    @Test
    void contentAfterTheDocumentOrASecondDocumentIsADecodingError() {
        for (String trailing : java.util.List.of(ONE_SPAN, "\n" + ONE_SPAN, " x", " 1", "]", "}", " null", " []")) {
            String message = jsonError(ONE_SPAN + trailing);
            assertTrue(message.startsWith("malformed JSON at line "), trailing + ": " + message);
        }
    }

    @Test
    void aMemberNamedTwiceIsADecodingErrorNotTheLastOneSilently() {
        // JsonFormat reads its JSON with Gson, whose tree keeps the last of two equal names: the first span's name,
        // the first attribute's key and a whole resourceSpans array were dropped without a word.
        String twice = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
                + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"first\",\"name\":\"second\"}]}]}]}";
        String message = jsonError(twice);
        assertTrue(message.matches("duplicate member at line 1, column \\d+: \"name\" appears twice in the same object"), message);
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"n\",\"attributes\":[{\"key\":\"a\","
                + "\"value\":{\"stringValue\":\"x\"},\"key\":\"b\"}]}]}]}]}");
        assertTrue(jsonError(ONE_SPAN.substring(0, ONE_SPAN.length() - 1) + ",\"resourceSpans\":[]}").contains("\"resourceSpans\""));
        // Unknown members are skipped, but one named twice is as ambiguous: refused too.
        jsonError("{\"resourceSpans\":[],\"brandNew\":1,\"brandNew\":2}");
        // An escape spells the same name.
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"a\",\"n\\u0061me\":\"b\"}]}]}]}");
    }

    @Test
    void theSameNameInDifferentObjectsIsNotADuplicate() throws Exception {
        Span span = onlySpan(json("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"n\",\"attributes\":["
                + "{\"key\":\"a\",\"value\":{\"stringValue\":\"x\"}},{\"key\":\"b\",\"value\":{\"stringValue\":\"y\"}}]}]}]}]}"));
        assertEquals(2, span.getAttributesCount());
        assertEquals("b", span.getAttributes(1).getKey());
    }

    @Test
    void wrongTypesAreDecodingErrors() {
        assertTrue(jsonError("{\"resourceSpans\": \"all of them\"}").startsWith("not an OTLP/JSON ExportTraceServiceRequest"));
        jsonError("[]");
        jsonError("42");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"yesterday\"}]}]}]}");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":-5}]}]}]}");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"endTimeUnixNano\":1e40}]}]}]}");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":12}]}]}]}");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":{\"a\":1}}]}]}]}");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":\"many\"}}]}]}]}]}");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":{\"k\":\"v\"}}]}]}]}");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":" + "9".repeat(100_000) + "}]}]}]}");
        jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\",\"value\":{\"doubleValue\":1e999999}}]}]}]}]}");
    }

    @Test
    void anIdThatIsNotHexIsADecodingErrorNamingTheField() {
        String message = jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"not-hex-at-all\",\"spanId\":\"b7ad6b7169203331\"}]}]}]}");
        assertTrue(message.startsWith("traceId must be a hex string"), message);
        assertTrue(jsonError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"abc\"}]}]}]}").startsWith("spanId"));
    }

    @Test
    void hexIdsOfTheWrongLengthDecodeForTheMapperToReject() throws Exception {
        Span span = onlySpan(json("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"abcd\",\"spanId\":\"b7ad6b7169203331ff\"}]}]}]}"));
        assertEquals(2, span.getTraceId().size());
        assertEquals(9, span.getSpanId().size());
    }

    @Test
    void deeplyNestedJsonIsRefusedBeforeItCanExhaustTheStack() {
        String deep = "{\"resourceSpans\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        String message = jsonError(deep);
        assertTrue(message.contains("nested deeper"), message);
        String deepValue = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\",\"value\":"
                + "{\"arrayValue\":{\"values\":[".repeat(5_000) + "]}}".repeat(5_000) + "}]}]}]}]}";
        jsonError(deepValue);
    }

    @Test
    void bytesThatAreNotUtf8JsonAreADecodingError() {
        assertThrows(OtlpDecodingException.class, () -> ExportRequestDecoder.fromJson(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2}));
    }

    @Test
    void aStringThatIsNotUtf8InJsonIsADecodingErrorAsInProtobuf() {
        byte[] body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"o?\"}]}]}]}".getBytes(StandardCharsets.UTF_8);
        body[new String(body, StandardCharsets.UTF_8).indexOf('?')] = (byte) 0xc3; // "o" then 0xc3 0x22: a broken sequence
        String message = assertThrows(OtlpDecodingException.class, () -> ExportRequestDecoder.fromJson(body)).getMessage();
        assertEquals("the body is not UTF-8 text", message);
        byte[] unknownKey = {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'};
        assertThrows(OtlpDecodingException.class, () -> ExportRequestDecoder.fromJson(unknownKey),
                "not even as the name of a member that would be skipped");
    }

    @Test
    void aUtf8ByteOrderMarkBeforeTheJsonIsSkipped() throws Exception {
        byte[] json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"caf\u00e9\"}]}]}]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 3];
        body[0] = (byte) 0xef;
        body[1] = (byte) 0xbb;
        body[2] = (byte) 0xbf;
        System.arraycopy(json, 0, body, 3, json.length);
        assertEquals("caf\u00e9", onlySpan(ExportRequestDecoder.fromJson(body)).getName());
    }

    @Test
    void everyTruncationOfAProtobufBodyIsADecodingError() {
        byte[] body = GenAiMappingTest.codeReviewRun().toByteArray();
        for (int length = 1; length < body.length; length++) {
            byte[] cut = Arrays.copyOf(body, length);
            OtlpDecodingException e = assertThrows(OtlpDecodingException.class, () -> ExportRequestDecoder.fromProtobuf(cut),
                    "cut at " + length);
            assertTrue(e.getMessage().startsWith("not a protobuf ExportTraceServiceRequest"), e.getMessage());
            assertTrue(e.getMessage().length() <= OtlpDecodingException.MAX_MESSAGE_LENGTH);
        }
    }

    @Test
    void randomBytesEitherDecodeOrFailAsADecodingErrorAndWhatDecodesMapsWithoutThrowing() {
        Random random = new Random(13);
        OtlpSpanMapper mapper = new OtlpSpanMapper(TraceIdMode.CONVERSATION);
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] body = new byte[1 + random.nextInt(300)];
            random.nextBytes(body);
            try {
                mapper.map(ExportRequestDecoder.fromProtobuf(body));
            } catch (OtlpDecodingException expected) {
                refused++;
            } catch (RuntimeException | StackOverflowError e) {
                fail("random body " + i + " escaped as " + e);
            }
        }
        assertTrue(refused > 4_000, "most random bodies are no valid request: " + refused);
    }

    @Test
    void randomlyCorruptedRealBodiesNeverEscapeAsAnythingButADecodingError() {
        byte[] body = GenAiMappingTest.codeReviewRun().toByteArray();
        Random random = new Random(7);
        OtlpSpanMapper mapper = new OtlpSpanMapper(TraceIdMode.TRACE);
        for (int i = 0; i < 2_000; i++) {
            byte[] corrupt = body.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            }
            try {
                MappedSpans mapped = mapper.map(ExportRequestDecoder.fromProtobuf(corrupt));
                assertEquals(mapped.spanCount(), mapped.acceptedSpans() + mapped.rejected().size());
            } catch (OtlpDecodingException expected) {
                // the usual outcome
            } catch (RuntimeException | StackOverflowError e) {
                fail("corrupted body " + i + " escaped as " + e);
            }
        }
    }

    @Test
    void randomlyCorruptedJsonBodiesNeverEscapeAsAnythingButADecodingError() {
        byte[] body = VercelAiSdkMappingTest.EXPORT.getBytes(StandardCharsets.UTF_8);
        byte[] alphabet = "{}[]\":,0123456789abcdefABCDEF-+.eE \\ntruefalsenull\u00e9".getBytes(StandardCharsets.UTF_8);
        Random random = new Random(11);
        OtlpSpanMapper mapper = new OtlpSpanMapper(TraceIdMode.CONVERSATION);
        int decoded = 0;
        for (int i = 0; i < 500; i++) {
            byte[] corrupt = body.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                corrupt[random.nextInt(corrupt.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            try {
                mapper.map(ExportRequestDecoder.fromJson(corrupt));
                decoded++;
            } catch (OtlpDecodingException expected) {
                // the usual outcome
            } catch (RuntimeException | StackOverflowError e) {
                fail("corrupted JSON " + i + " escaped as " + e + ": " + new String(corrupt, StandardCharsets.UTF_8));
            }
        }
        assertTrue(decoded > 0, "some corruptions (inside strings) still decode");
    }

    @Test
    void aStringThatIsNotUtf8InProtobufIsADecodingError() {
        byte[] body = Otlp.request("svc", Otlp.span("ok", 1, 0, 0, 1)).toByteArray();
        // The span name "ok": replace its bytes by an invalid UTF-8 sequence of the same length.
        byte[] name = "ok".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == name[0] && body[i + 1] == name[1]) {
                body[i] = (byte) 0xc3;
                body[i + 1] = (byte) 0x28;
            }
        }
        assertThrows(OtlpDecodingException.class, () -> ExportRequestDecoder.fromProtobuf(body));
    }
}
