package io.tracestream.domain.pricing;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model price table of {@code @pydantic/genai-prices}: providers, each with its models, each
 * with the table's own match rule and its prices (some changing on a date, a few cheaper at
 * certain hours). Read once; immutable and thread-safe.
 *
 * <p>How a model name as a span spells it is found ({@link #find}), first hit wins:
 * <ol>
 * <li>the name is taken in lower case;</li>
 * <li>in the provider the event names ({@code provider}: {@code openai}, {@code aws.bedrock},
 *     {@code gcp.gemini}..., as {@code gen_ai.provider.name} spells them), the name, then the name
 *     after its provider prefix, then after its last {@code /};</li>
 * <li>in the provider the name's prefix names ({@code openai/gpt-4o}, {@code bedrock/...},
 *     {@code openrouter/openai/gpt-4o}), the rest of the name;</li>
 * <li>in the provider whose model names it looks like, by the table's {@code model_match}
 *     ({@code gpt-} is OpenAI's, {@code claude} Anthropic's...);</li>
 * <li>in every provider: a model that one or more providers list, all at the same price (a model
 *     several hosts sell at different prices stays unknown unless the event names its provider);</li>
 * <li>all again for the general name of a snapshot: without {@code -latest} or a trailing date
 *     ({@code gpt-4o-2099-01-01} is {@code gpt-4o}), only when the table lists no price for the
 *     snapshot itself ({@code gpt-4o-2024-05-13} has its own).</li>
 * </ol>
 * Within a provider, models are tried in the table's order, then the providers it falls back on,
 * then the name with a compact date spelled out ({@code 20241022} as {@code 2024-10-22}), as the
 * package itself does. A model the table lists but does not price by tokens (speech, say) is found
 * and unpriced: finding it ends the search, so it is never priced as some other model.
 */
public final class PriceCatalog {

    /** Where the build puts the bundled table ({@code GenAiPricesImport}, src/build/java). */
    public static final String RESOURCE = "/io/tracestream/pricing/genai-prices.json";

    /** Where a table comes from: the package, its version, and the day that version was published. */
    public record Origin(String source, String version, String date) {}

    /** A model found in the table, and its price at the time asked. */
    public record Match(String providerId, String modelId, ModelPrice price) {}

    /**
     * Names of {@code gen_ai.provider.name} that the table's own provider rules do not recognise.
     * The rest ({@code openai}, {@code anthropic}, {@code aws.bedrock}, {@code gcp.gemini},
     * {@code gcp.vertex_ai}, {@code mistral_ai}, {@code deepseek}, {@code groq}...) they do.
     */
    private static final Map<String, String> PROVIDER_ALIASES = Map.of("gcp.gen_ai", "google", "x_ai", "x-ai");
    private static final String AZURE = "azure";
    /** A compact date in a model name, as the package spells it out before trying again. */
    private static final Pattern COMPACT_DATE =
            Pattern.compile("-(20\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(?=-|:|$)");
    /** What makes a name one snapshot of a model: a trailing date, or -latest. */
    private static final Pattern SNAPSHOT = Pattern.compile("(?:-latest|[-@]20\\d{2}-?\\d{2}-?\\d{2})$");
    /** Names are producer-chosen: beyond this many, lookups are not remembered. */
    private static final int MAX_REMEMBERED = 10_000;

    private static volatile Optional<PriceCatalog> bundled;

    private final Origin origin;
    private final List<Provider> providers;
    private final Map<String, Provider> providersById;
    private final List<String> problems;
    private final int modelCount;
    private final Map<String, Optional<Found>> remembered = new ConcurrentHashMap<>();

    private record Provider(String id, MatchRule providerMatch, MatchRule modelMatch, List<String> fallbacks,
                            List<Model> models) {}

    private record Model(String id, MatchRule match, List<ConditionalPrice> prices) {

        /**
         * The price in force at {@code at}, chosen as the package chooses it: the last entry whose
         * condition holds, else the first.
         */
        Optional<ModelPrice> priceAt(Instant at) {
            for (int i = prices.size() - 1; i >= 0; i--) {
                ConditionalPrice p = prices.get(i);
                if (p.constraint() == null || p.constraint().holdsAt(at)) {
                    return Optional.ofNullable(p.price());
                }
            }
            return prices.isEmpty() ? Optional.empty() : Optional.ofNullable(prices.get(0).price());
        }
    }

    /** @param price {@code null} when the model is not priced by tokens */
    private record ConditionalPrice(Constraint constraint, ModelPrice price) {}

    private interface Constraint {
        boolean holdsAt(Instant at);
    }

    /** A price that applies from a day on (UTC), such as a price cut. */
    private record StartDate(Instant from) implements Constraint {
        @Override
        public boolean holdsAt(Instant at) {
            return !at.isBefore(from);
        }
    }

    /** A price that applies between two times of the day, such as an off-peak discount; may wrap midnight. */
    private record TimeOfDay(int startSecond, int endSecond) implements Constraint {
        @Override
        public boolean holdsAt(Instant at) {
            int second = at.atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay();
            return endSecond < startSecond
                    ? second >= startSecond || second < endSecond
                    : second >= startSecond && second < endSecond;
        }
    }

    private record Found(Provider provider, Model model) {}

    /** What one pass of the search came to: found, not there, or there but not to be priced. */
    private record Outcome(Found found, boolean decided) {
        static final Outcome NOT_THERE = new Outcome(null, false);
        static final Outcome UNKNOWN = new Outcome(null, true);

        static Outcome of(Found found) {
            return new Outcome(found, true);
        }
    }

    private PriceCatalog(Origin origin, List<Provider> providers, List<String> problems) {
        this.origin = origin;
        this.providers = List.copyOf(providers);
        Map<String, Provider> byId = new LinkedHashMap<>();
        providers.forEach(p -> byId.putIfAbsent(p.id(), p));
        this.providersById = Collections.unmodifiableMap(byId);
        this.problems = List.copyOf(problems);
        this.modelCount = providers.stream().mapToInt(p -> p.models().size()).sum();
    }

    /**
     * The table bundled in the WAR, read on first use; empty when the build did not bundle one
     * (a build from an IDE that skipped Maven's steps).
     *
     * @throws IllegalStateException when the bundled table cannot be read: the build checked it,
     *                               so this is a broken WAR
     */
    public static Optional<PriceCatalog> bundled() {
        Optional<PriceCatalog> catalog = bundled;
        if (catalog == null) {
            synchronized (PriceCatalog.class) {
                if (bundled == null) {
                    bundled = loadBundled();
                }
                catalog = bundled;
            }
        }
        return catalog;
    }

    private static Optional<PriceCatalog> loadBundled() {
        try (InputStream in = PriceCatalog.class.getResourceAsStream(RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled price table " + RESOURCE, e);
        }
    }

    /**
     * Reads a table in the bundled form: {@code {"source", "version", "date", "providers": [...]}},
     * the providers as the package has them.
     *
     * @throws IllegalStateException when it is not JSON of that shape
     */
    public static PriceCatalog read(InputStream json) {
        try (JsonReader reader = JsonFactories.reader(json)) {
            return of(reader.readObject());
        } catch (JsonException | ClassCastException e) {
            throw new IllegalStateException("the price table is not valid: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalStateException when the object has no list of providers */
    static PriceCatalog of(JsonObject table) {
        JsonValue providersJson = table.get("providers");
        if (providersJson == null || providersJson.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new IllegalStateException("the price table has no list of providers");
        }
        return ofProviders(new Origin(text(table, "source"), text(table, "version"), text(table, "date")),
                providersJson.asJsonArray());
    }

    /** @throws IllegalStateException when an entry is not a provider with an id and a list of models */
    static PriceCatalog ofProviders(Origin origin, JsonArray providersJson) {
        List<String> problems = new ArrayList<>();
        List<Provider> providers = new ArrayList<>();
        for (JsonValue value : providersJson) {
            if (!(value instanceof JsonObject p) || text(p, "id") == null
                    || p.get("models") == null || p.get("models").getValueType() != JsonValue.ValueType.ARRAY) {
                throw new IllegalStateException("not a provider with an id and models: " + abbreviated(value));
            }
            String id = text(p, "id").toLowerCase(Locale.ROOT);
            Consumer<String> problemsOf = problem -> problems.add(id + ": " + problem);
            List<Model> models = new ArrayList<>();
            for (JsonValue modelValue : p.getJsonArray("models")) {
                if (!(modelValue instanceof JsonObject m) || text(m, "id") == null || m.get("match") == null) {
                    problemsOf.accept("not a model with an id and a match rule: " + abbreviated(modelValue));
                    continue;
                }
                Consumer<String> modelProblems = problem -> problemsOf.accept(text(m, "id") + ": " + problem);
                models.add(new Model(text(m, "id"), MatchRule.read(m.get("match"), modelProblems),
                        prices(m.get("prices"), modelProblems)));
            }
            List<String> fallbacks = new ArrayList<>();
            JsonValue fallbackJson = p.get("fallback_model_providers");
            if (fallbackJson != null && fallbackJson.getValueType() == JsonValue.ValueType.ARRAY) {
                fallbackJson.asJsonArray().getValuesAs(JsonString.class).forEach(f -> fallbacks.add(f.getString()));
            }
            providers.add(new Provider(id, rule(p, "provider_match", problemsOf), rule(p, "model_match", problemsOf),
                    List.copyOf(fallbacks), List.copyOf(models)));
        }
        return new PriceCatalog(origin, providers, problems);
    }

    private static MatchRule rule(JsonObject provider, String key, Consumer<String> problems) {
        JsonValue json = provider.get(key);
        return json == null || json == JsonValue.NULL ? null : MatchRule.read(json, problems);
    }

    private static List<ConditionalPrice> prices(JsonValue json, Consumer<String> problems) {
        if (json instanceof JsonObject single) {
            return List.of(new ConditionalPrice(null, tokenPrice(single, problems)));
        }
        if (!(json instanceof JsonArray list) || list.isEmpty()) {
            problems.accept("no prices");
            return List.of();
        }
        List<ConditionalPrice> prices = new ArrayList<>();
        for (JsonValue entry : list) {
            if (!(entry instanceof JsonObject conditional) || !(conditional.get("prices") instanceof JsonObject p)) {
                problems.accept("a conditional price without prices: " + abbreviated(entry));
                continue;
            }
            JsonValue constraint = conditional.get("constraint");
            prices.add(new ConditionalPrice(constraint == null || constraint == JsonValue.NULL ? null
                    : constraint(constraint, problems), tokenPrice(p, problems)));
        }
        return List.copyOf(prices);
    }

    /**
     * The per-token prices of one price entry; {@code null} when it has neither an input nor an
     * output price (a model priced by the second or the image). A missing one of the two costs
     * nothing, as in the package (an embedding model has no output price).
     */
    private static ModelPrice tokenPrice(JsonObject prices, Consumer<String> problems) {
        BigDecimal input = amount(prices, "input_mtok", problems);
        BigDecimal output = amount(prices, "output_mtok", problems);
        if (input == null && output == null) {
            return null;
        }
        return new ModelPrice(input == null ? BigDecimal.ZERO : input, output == null ? BigDecimal.ZERO : output,
                amount(prices, "cache_read_mtok", problems));
    }

    /**
     * One price, USD per million tokens. A tiered price (a higher rate once a prompt passes some
     * size, e.g. above 272k input tokens) is taken at its base tier: most calls are below the first
     * threshold, and an event's single input count cannot be split the way a provider bills a long
     * prompt, so calls above it are estimated low rather than guessed.
     */
    private static BigDecimal amount(JsonObject prices, String key, Consumer<String> problems) {
        JsonValue value = prices.get(key);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonObject tiered && tiered.get("base") instanceof JsonNumber base) {
            value = base;
        }
        if (value instanceof JsonNumber number && number.bigDecimalValue().signum() >= 0) {
            // Without trailing zeros, so 2.5 and 2.50 are one price when providers are compared.
            BigDecimal price = number.bigDecimalValue().stripTrailingZeros();
            return price.scale() < 0 ? price.setScale(0) : price;
        }
        problems.accept(key + " is not a price: " + value);
        return null;
    }

    private static Constraint constraint(JsonValue json, Consumer<String> problems) {
        if (json instanceof JsonObject c) {
            try {
                if (c.get("start_date") instanceof JsonString day) {
                    return new StartDate(LocalDate.parse(day.getString()).atStartOfDay(ZoneOffset.UTC).toInstant());
                }
                if (c.get("start_time") instanceof JsonString start && c.get("end_time") instanceof JsonString end) {
                    return new TimeOfDay(secondOfDayUtc(start.getString()), secondOfDayUtc(end.getString()));
                }
            } catch (DateTimeParseException e) {
                problems.accept("price condition " + json + ": " + e.getMessage());
                return at -> false;
            }
        }
        problems.accept("unknown price condition " + json + ": its price is never used");
        return at -> false;
    }

    private static int secondOfDayUtc(String time) {
        OffsetTime t = OffsetTime.parse(time);
        int seconds = t.toLocalTime().toSecondOfDay() - t.getOffset().getTotalSeconds();
        return Math.floorMod(seconds, 24 * 60 * 60);
    }

    public Origin origin() {
        return origin;
    }

    public int providerCount() {
        return providers.size();
    }

    public int modelCount() {
        return modelCount;
    }

    /** What could not be read (a rule, a price), each naming its provider and model; such models stay unpriced. */
    public List<String> problems() {
        return problems;
    }

    /**
     * The model's price at {@code at}, by the search described above.
     *
     * @param providerHint the provider as the event names it, or {@code null}
     * @param at           when the call was made: prices change on dates and some hours are cheaper
     * @return empty when the table has no price for the name
     */
    public Optional<Match> find(String model, String providerHint, Instant at) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String name = model.strip().toLowerCase(Locale.ROOT);
        String hint = providerHint == null ? "" : providerHint.strip().toLowerCase(Locale.ROOT);
        String key = hint + '\n' + name;
        Optional<Found> found = remembered.get(key);
        if (found == null) {
            found = search(name, hint);
            if (remembered.size() < MAX_REMEMBERED) {
                remembered.put(key, found);
            }
        }
        return found.flatMap(f -> f.model().priceAt(Objects.requireNonNull(at, "at"))
                .map(price -> new Match(f.provider().id(), f.model().id(), price)));
    }

    private Optional<Found> search(String name, String hint) {
        Provider hinted = providerNamed(hint);
        Outcome outcome = locate(name, hinted);
        if (!outcome.decided()) {
            String general = SNAPSHOT.matcher(name).replaceFirst("");
            if (!general.isEmpty() && !general.equals(name)) {
                outcome = locate(general, hinted);
            }
        }
        return Optional.ofNullable(outcome.found());
    }

    private Outcome locate(String name, Provider hinted) {
        int firstSlash = name.indexOf('/');
        boolean prefixed = firstSlash > 0 && firstSlash < name.length() - 1;
        String rest = prefixed ? name.substring(firstSlash + 1) : null;
        String bare = prefixed ? name.substring(name.lastIndexOf('/') + 1) : null;
        Set<String> names = new LinkedHashSet<>();
        names.add(name);
        if (prefixed) {
            names.add(rest);
            if (!bare.isEmpty()) {
                names.add(bare);
            }
        }
        if (hinted != null) {
            for (String n : names) {
                Found found = lookup(hinted, n);
                if (found != null) {
                    return Outcome.of(found);
                }
            }
        }
        if (prefixed) {
            Provider named = providerNamed(name.substring(0, firstSlash));
            if (named != null) {
                for (String n : names) {
                    Found found = n.equals(name) ? null : lookup(named, n);
                    if (found != null) {
                        return Outcome.of(found);
                    }
                }
            }
        }
        for (String n : names) {
            Provider likely = providers.stream()
                    .filter(p -> p.modelMatch() != null && p.modelMatch().matches(n)).findFirst().orElse(null);
            Found found = likely == null ? null : lookup(likely, n);
            if (found != null) {
                return Outcome.of(found);
            }
        }
        for (String n : names) {
            Outcome agreed = agreedByAll(n);
            if (agreed.decided()) {
                return agreed;
            }
        }
        return Outcome.NOT_THERE;
    }

    /** A model any provider lists, if every provider that lists it prices it alike. */
    private Outcome agreedByAll(String name) {
        Found first = null;
        for (Provider p : providers) {
            Found found = lookup(p, name);
            if (found == null) {
                continue;
            }
            if (first == null) {
                first = found;
            } else if (!first.model().prices().equals(found.model().prices())) {
                return Outcome.UNKNOWN;
            }
        }
        return first == null ? Outcome.NOT_THERE : Outcome.of(first);
    }

    /** The model in a provider, as the package looks it up: its models, its fallbacks', then with a compact date spelled out. */
    private Found lookup(Provider provider, String name) {
        Found found = inProviderOrFallbacks(provider, name);
        if (found == null) {
            String spelledOut = spellOutDates(name);
            if (!spelledOut.equals(name)) {
                found = inProviderOrFallbacks(provider, spelledOut);
            }
        }
        return found;
    }

    private Found inProviderOrFallbacks(Provider provider, String name) {
        Model model = firstMatching(provider, name);
        if (model != null) {
            return new Found(provider, model);
        }
        for (String fallbackId : provider.fallbacks()) {
            Provider fallback = providersById.get(fallbackId);
            Model fallbackModel = fallback == null ? null : firstMatching(fallback, name);
            if (fallbackModel != null) {
                return new Found(fallback, fallbackModel);
            }
        }
        return null;
    }

    private static Model firstMatching(Provider provider, String name) {
        for (Model m : provider.models()) {
            if (m.match().matches(name)) {
                return m;
            }
        }
        return null;
    }

    /** {@code claude-3-5-sonnet-20241022} as {@code claude-3-5-sonnet-2024-10-22}, for real dates only. */
    static String spellOutDates(String name) {
        if (!name.contains("-20")) {
            return name; // the usual case, without a regular expression
        }
        Matcher m = COMPACT_DATE.matcher(name);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group();
            try {
                LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                replacement = "-" + m.group(1) + "-" + m.group(2) + "-" + m.group(3);
            } catch (java.time.DateTimeException e) {
                // not a day of the calendar: left as it is
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The table's provider a name stands for, as the package finds it: by id, else by the
     * providers' own {@code provider_match} rules; {@code null} when none.
     */
    private Provider providerNamed(String name) {
        if (name.isEmpty()) {
            return null;
        }
        String id = PROVIDER_ALIASES.getOrDefault(name, name.startsWith(AZURE + ".") ? AZURE : name);
        Provider byId = providersById.get(id);
        if (byId != null) {
            return byId;
        }
        return providers.stream().filter(p -> p.providerMatch() != null && p.providerMatch().matches(id))
                .findFirst().orElse(null);
    }

    private static String text(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.getString() : null;
    }

    private static String abbreviated(JsonValue value) {
        String text = String.valueOf(value);
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
