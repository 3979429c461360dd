package io.tracestream.api;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Takes out of {@code /openapi} what Payara writes for every schema whether or not it was asked:
 * {@code maxProperties: 0} (which says an object may have no properties at all), {@code minLength:
 * 0} and the {@code false} flags. Client generators and validators read those literally. It also
 * marks path parameters required, as OpenAPI demands and Payara does not.
 */
public class OpenApiCleanup implements OASFilter {

    @Override
    public Schema filterSchema(Schema schema) {
        if (Integer.valueOf(0).equals(schema.getMaxProperties())) {
            schema.setMaxProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinProperties())) {
            schema.setMinProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinLength())) {
            schema.setMinLength(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMaximum())) {
            schema.setExclusiveMaximum(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMinimum())) {
            schema.setExclusiveMinimum(null);
        }
        if (Boolean.FALSE.equals(schema.getUniqueItems())) {
            schema.setUniqueItems(null);
        }
        if (Boolean.FALSE.equals(schema.getNullable())) {
            schema.setNullable(null);
        }
        if (Boolean.FALSE.equals(schema.getReadOnly())) {
            schema.setReadOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getWriteOnly())) {
            schema.setWriteOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getDeprecated())) {
            schema.setDeprecated(null);
        }
        return schema;
    }

    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() == Parameter.In.PATH) {
            parameter.setRequired(true);
        }
        if (Boolean.FALSE.equals(parameter.getDeprecated())) {
            parameter.setDeprecated(null);
        }
        if (Boolean.FALSE.equals(parameter.getAllowEmptyValue())) {
            parameter.setAllowEmptyValue(null);
        }
        if (Boolean.FALSE.equals(parameter.getAllowReserved())) {
            parameter.setAllowReserved(null);
        }
        return parameter;
    }

    @Override
    public Header filterHeader(Header header) {
        if (Boolean.FALSE.equals(header.getDeprecated())) {
            header.setDeprecated(null);
        }
        if (Boolean.FALSE.equals(header.getAllowEmptyValue())) {
            header.setAllowEmptyValue(null);
        }
        return header;
    }
}
