package io.tracestream.api;

import java.util.function.Consumer;
import java.util.function.Supplier;
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

    private static final Integer ZERO = 0;

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

    /** Unsets a field holding the value Payara writes when nobody asked for one. */
    private static <T> void drop(T noise, Supplier<T> field, Consumer<T> set) {
        if (noise.equals(field.get())) {
            set.accept(null);
        }
    }
}
