package dev.ngao.rules;

import dev.ngao.events.ListDimension;
import dev.ngao.events.ListKind;
import dev.ngao.events.PaymentRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code list}: the request's email, phone, device, DNI, IP (also inside CIDR entries) or country (the
 * declared one and the IP's) is on the merchant's ALLOW or BLOCK list ({@code list}), for the
 * {@code dimensions} named (default all). Lists are maintained at run time on risk.lists; the rule reads
 * them as they are at the request's instant. An ALLOW list rule overrides review rules in
 * {@link Resolution}, never a block or a hard limit. Dimension ACCOUNT: lists are global state.
 */
public final class ListRule extends BaseRule {

    /** The list dimensions a rule may name: CIDR entries are matched through IP. */
    static final Set<ListDimension> DIMENSIONS = ParameterReader.allBut(ListDimension.class, ListDimension.CIDR,
            ListDimension.UNKNOWN);

    public record Parameters(ListKind list, List<ListDimension> dimensions) {
        public Parameters {
            dimensions = List.copyOf(dimensions);
        }
    }

    private final Parameters parameters;

    ListRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
    }

    static ListRule create(RuleSpec spec, ParameterReader reader) {
        ListKind list = reader.enumValue("list", ListKind.class, null, ParameterReader.all(ListKind.class));
        List<ListDimension> dimensions = reader.enumList("dimensions", ListDimension.class,
                List.copyOf(DIMENSIONS), DIMENSIONS);
        return reader.valid() ? new ListRule(spec, new Parameters(list, dimensions)) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        PaymentRequest request = input.request();
        ListLookup lists = input.state().lists();
        String listName = parameters.list().name().toLowerCase(Locale.ROOT) + " list";
        List<String> found = new ArrayList<>();
        for (ListDimension dimension : parameters.dimensions()) {
            for (String value : valuesOf(request, dimension)) {
                Optional<ListLookup.ListMatch> match = lists.match(request.getMerchantId(), parameters.list(),
                        dimension, value, request.getRequestedAt());
                if (match.isPresent()) {
                    found.add(label(dimension) + " is on the " + listName + " (entry " + match.get().entryId()
                            + ": " + match.get().reason() + ")");
                    break;
                }
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", found));
    }

    /** The values a list entry of {@code dimension} is matched on; keyed hashes for personal dimensions. */
    static List<String> valuesOf(PaymentRequest request, ListDimension dimension) {
        List<String> values = new ArrayList<>(2);
        switch (dimension) {
            case EMAIL -> Dimension.EMAIL.valueOf(request).ifPresent(values::add);
            case PHONE -> Dimension.MSISDN.valueOf(request).ifPresent(values::add);
            case DEVICE -> Dimension.DEVICE.valueOf(request).ifPresent(values::add);
            case DNI -> Dimension.DNI.valueOf(request).ifPresent(values::add);
            case IP, CIDR -> Dimension.IP.valueOf(request).ifPresent(values::add);
            case COUNTRY -> {
                CountrySource.PAYER.of(request).ifPresent(values::add);
                CountrySource.IP.of(request).filter(country -> !values.contains(country)).ifPresent(values::add);
            }
            case UNKNOWN -> {
            }
        }
        return values;
    }

    private static String label(ListDimension dimension) {
        return switch (dimension) {
            case EMAIL -> "email";
            case PHONE -> "phone number";
            case DEVICE -> "device";
            case DNI -> "DNI";
            case IP, CIDR -> "IP address";
            case COUNTRY -> "country";
            case UNKNOWN -> "value";
        };
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
