package io.tracestream.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.servers.Server;
import org.eclipse.microprofile.openapi.models.tags.Tag;

/**
 * Makes {@code /openapi} a valid OpenAPI 3.0 document for the tools users feed it to (client
 * generators, linters, documentation viewers) by undoing what Payara adds or gets wrong:
 * <ul>
 * <li>the non-standard top-level {@code endpoints} map, which validators reject;</li>
 * <li>{@code maxProperties: 0} (which says an object may have no properties at all), {@code
 * minLength: 0} and the {@code false} flags written into every schema whether or not asked;</li>
 * <li>{@code type: number} on a Java long, even with {@code format: int64} asked for: it becomes an
 * integer, or generated clients would hold counts and milliseconds in floating point;</li>
 * <li>examples and defaults of numbers and booleans written as strings ({@code example: "400"} for
 * an integer), because annotations can only give them as text;</li>
 * <li>a tag listed twice when one operation names it without its description;</li>
 * <li>the server URL of the listener Payara sees ({@code http://localhost:8080/}): behind a proxy
 * or in a container that host is wrong for the reader, so the URL keeps only its path, which
 * resolves against wherever the document was fetched from;</li>
 * <li>path parameters not marked required, as OpenAPI demands.</li>
 * </ul>
 * OpenApiDocumentIT runs an independent linter on the served document to hold this.
 */
public class OpenApiCleanup implements OASFilter {

    private static final Integer ZERO = 0;
    /** Formats that OpenAPI defines for integers only: Payara types a Java long as number even when told int64. */
    private static final Set<String> INTEGER_FORMATS = Set.of("int32", "int64");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        dropPayaraEndpoints(openAPI);
        mergeTagsOfTheSameName(openAPI);
        makeServersRelative(openAPI);
    }

    @Override
    public Schema filterSchema(Schema schema) {
        drop(ZERO, schema::getMaxProperties, schema::setMaxProperties);
        drop(ZERO, schema::getMinProperties, schema::setMinProperties);
        drop(ZERO, schema::getMinLength, schema::setMinLength);
        drop(false, schema::getExclusiveMaximum, schema::setExclusiveMaximum);
        drop(false, schema::getExclusiveMinimum, schema::setExclusiveMinimum);
        drop(false, schema::getUniqueItems, schema::setUniqueItems);
        drop(false, schema::getNullable, schema::setNullable);
        drop(false, schema::getReadOnly, schema::setReadOnly);
        drop(false, schema::getWriteOnly, schema::setWriteOnly);
        drop(false, schema::getDeprecated, schema::setDeprecated);
        if (schema.getType() == Schema.SchemaType.NUMBER && schema.getFormat() != null
                && INTEGER_FORMATS.contains(schema.getFormat())) {
            schema.setType(Schema.SchemaType.INTEGER);
        }
        schema.setExample(asSchemaType(schema, schema.getExample()));
        schema.setDefaultValue(asSchemaType(schema, schema.getDefaultValue()));
        return schema;
    }

    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() == Parameter.In.PATH) {
            parameter.setRequired(true);
        }
        drop(false, parameter::getDeprecated, parameter::setDeprecated);
        drop(false, parameter::getAllowEmptyValue, parameter::setAllowEmptyValue);
        drop(false, parameter::getAllowReserved, parameter::setAllowReserved);
        return parameter;
    }

    @Override
    public Header filterHeader(Header header) {
        drop(false, header::getDeprecated, header::setDeprecated);
        drop(false, header::getAllowEmptyValue, header::setAllowEmptyValue);
        return header;
    }

    @Override
    public Operation filterOperation(Operation operation) {
        drop(false, operation::getDeprecated, operation::setDeprecated);
        return operation;
    }

    /**
     * Payara's model class carries {@code endpoints} outside the OpenAPI interface, so it is reached
     * by name; emptied, it is not written (Payara writes no empty collections). Payara's own code
     * copies the map when it clones the document, so it must stay a map, not become null.
     */
    private static void dropPayaraEndpoints(OpenAPI openAPI) {
        try {
            if (openAPI.getClass().getMethod("getEndpoints").invoke(openAPI) instanceof Map<?, ?> endpoints) {
                endpoints.clear();
            }
        } catch (ReflectiveOperationException notPayara) {
            // Another implementation: it has no such map to take out.
        }
    }

    private static void mergeTagsOfTheSameName(OpenAPI openAPI) {
        List<Tag> tags = openAPI.getTags();
        if (tags == null) {
            return;
        }
        Map<String, Tag> byName = new LinkedHashMap<>();
        for (Tag tag : tags) {
            Tag first = byName.putIfAbsent(tag.getName(), tag);
            if (first != null && first.getDescription() == null) {
                first.setDescription(tag.getDescription());
            }
        }
        openAPI.setTags(new ArrayList<>(byName.values()));
    }

    private static void makeServersRelative(OpenAPI openAPI) {
        List<Server> servers = openAPI.getServers();
        if (servers == null || servers.isEmpty()) {
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Server> kept = new ArrayList<>();
        for (Server server : servers) {
            server.setUrl(pathOnly(server.getUrl()));
            if (seen.add(server.getUrl())) {
                kept.add(server);
            }
        }
        openAPI.setServers(kept);
    }

    /**
     * {@code http://host:8080/} becomes {@code /}, {@code http://host:8080/ctx/} becomes {@code /ctx}
     * (paths are appended to it, so a trailing slash would double theirs). A URL that does not parse,
     * such as one with {variables}, is kept as it is.
     */
    static String pathOnly(String url) {
        if (url == null) {
            return null;
        }
        String path;
        try {
            path = URI.create(url).getRawPath();
        } catch (IllegalArgumentException notAUri) {
            return url;
        }
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** An example or default given as text, as the annotations must, turned into the schema's own type. */
    static Object asSchemaType(Schema schema, Object value) {
        if (!(value instanceof String text) || schema.getType() == null) {
            return value;
        }
        Function<String, Object> parse = switch (schema.getType()) {
            case INTEGER -> BigInteger::new;
            case NUMBER -> BigDecimal::new;
            case BOOLEAN -> s -> switch (s) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new NumberFormatException(s);
            };
            default -> null;
        };
        if (parse == null) {
            return value;
        }
        try {
            return parse.apply(text.trim());
        } catch (NumberFormatException notOfThatType) {
            return value; // left for the document's validator to report
        }
    }

    /** Unsets a field holding the value Payara writes when nobody asked for one. */
    private static <T> void drop(T noise, Supplier<T> field, Consumer<T> set) {
        if (noise.equals(field.get())) {
            set.accept(null);
        }
    }
}
