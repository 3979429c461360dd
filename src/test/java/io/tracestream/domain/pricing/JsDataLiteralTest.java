package io.tracestream.domain.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsDataLiteralTest {

    @Test
    void minifiedDataReadsAsJson() {
        String script = "const E=[{id:\"a\",'quoted key':'it\\'s',n:.8,big:2e5,neg:-1,on:!0,off:!1,none:void 0,"
                + "nil:null,list:[1,2,],desc:`two\nlines`,esc:\"\\u00e9\\x41\\\\.\\n\",},]";
        JsDataLiteral.Parsed parsed = JsDataLiteral.readAt(script, script.indexOf('['));

        assertEquals(script.length(), parsed.end());
        JsonObject o = parsed.value().asJsonArray().getJsonObject(0);
        assertEquals("{\"id\":\"a\",\"quoted key\":\"it's\",\"n\":0.8,\"big\":200000,\"neg\":-1,\"on\":true,\"off\":false,"
                + "\"none\":null,\"nil\":null,\"list\":[1,2],\"desc\":\"two\\nlines\",\"esc\":\"éA\\\\.\\n\"}", o.toString());
    }

    @Test
    void readingStopsAfterTheLiteral() {
        JsDataLiteral.Parsed parsed = JsDataLiteral.readAt("x={a:1},y=2", 2);

        assertEquals(7, parsed.end());
        assertEquals(1, parsed.value().asJsonObject().getInt("a"));
    }

    @Test
    void aLaterDuplicateKeyWinsAsInJavaScript() {
        assertEquals("{\"a\":2}", JsDataLiteral.readAt("{a:1,a:2}", 0).value().toString());
    }

    @Test
    void codeIsNotData() {
        assertRejected("[{id:x}]", "'x' is code, not data");
        assertRejected("[`a${b}`]", "a template with ${...} is code, not data");
        assertRejected("{a:f()}", "'f' is code, not data");
        assertRejected("{[k]:1}", "'[' cannot start an object key");
        assertRejected("[!2]", "only !0 and !1 are data");
        assertRejected("[1,2", "the text ends");
        assertRejected("{a:1 b:2}", "'}' expected, not 'b'");
    }

    private static void assertRejected(String text, String problem) {
        String message = assertThrows(IllegalArgumentException.class, () -> JsDataLiteral.readAt(text, 0)).getMessage();
        assertTrue(message.contains(problem), message);
    }
}
