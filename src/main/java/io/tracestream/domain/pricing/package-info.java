/**
 * What a model costs: the model price table bundled at build time from the npm package
 * {@code @pydantic/genai-prices} (MIT; its data folds in LiteLLM's and OpenRouter's), read once at
 * start ({@link io.tracestream.domain.pricing.PriceCatalog}), and matched the way real spans spell
 * models: provider prefixes, dated snapshots, {@code -latest}, any case, with an optional provider
 * hint. A name the table does not know stays unpriced: a wrong price is worse than an honest
 * "unknown". The build step that turns the package's JavaScript data into the bundled JSON
 * ({@code GenAiPricesImport}, in {@code src/build/java}, not in the WAR) is in this package too, so
 * the same code that reads the data at run time is what checks it at build time.
 * Plain Java plus the JSON-P API. May import {@code domain}.
 */
package io.tracestream.domain.pricing;
