package dev.ngao.ingest.list;

import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * Allow and block lists: add an entry ({@code 201}), remove one ({@code 202}: a tombstone on the compacted
 * {@code risk.lists}, so compaction drops the entry). Removing an entry that does not exist writes a tombstone
 * that changes nothing; it is not an error, so removals can be retried freely.
 */
public final class ListRoutes implements RouteGroup {

    public static final String LISTS_PATH = "/v1/lists";
    private static final String LIST = "list";
    private static final String ENTRY_ID = "entryId";
    private static final String ENTRIES_PATH = LISTS_PATH + "/:" + LIST + "/entries";

    private static final Logger LOG = LoggerFactory.getLogger(ListRoutes.class);

    private final ListEntryValidator validator;
    private final ListEntries entries;
    private final AcknowledgedPublisher<String, ListEntryChange> publisher;
    private final int bodyLimitBytes;

    public ListRoutes(ListEntryValidator validator, ListEntries entries, AcknowledgedPublisher<String, ListEntryChange> publisher,
                      int bodyLimitBytes) {
        this.validator = validator;
        this.entries = entries;
        this.publisher = publisher;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        JsonRoutes.mountCreating(router, HttpMethod.POST, ENTRIES_PATH, Scopes.LISTS_WRITE, bodyLimitBytes, this::add);
        router.delete(ENTRIES_PATH + "/:" + ENTRY_ID).handler(Scopes.require(Scopes.LISTS_WRITE)).handler(this::remove);
    }

    private void add(RoutingContext context) {
        Optional<ListKind> list = list(context);
        if (list.isEmpty()) {
            return;
        }
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<ListEntryRequest> result = validator.validate(body.get());
        if (result instanceof Validation.Invalid<ListEntryRequest> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        Caller caller = Caller.of(context);
        ListEntryChange entry = entries.added(caller.merchantId(), list.get(),
                ((Validation.Valid<ListEntryRequest>) result).value(), caller.keyId());
        String key = ListEntries.key(entry.getMerchantId(), entry.getList(), entry.getDimension(), entry.getValueHash());
        publisher.publish(key, entry).acknowledged().onComplete(written -> {
            if (written.failed()) {
                LOG.warn("List entry {} of merchant {} not accepted: Kafka did not acknowledge ({})",
                        entry.getEntryId(), entry.getMerchantId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The entry was not added; retry later.");
                return;
            }
            LOG.info("Added {} list entry {} of merchant {}", entry.getList(), entry.getEntryId(), entry.getMerchantId());
            String self = entriesPath(list.get()) + "/" + entry.getEntryId();
            JsonObject json = new JsonObject()
                    .put(ENTRY_ID, entry.getEntryId())
                    .put(LIST, list.get().name())
                    .put("dimension", entry.getDimension().name())
                    .put("value", entry.getValue() != null ? entry.getValue() : entry.getValueMasked())
                    .put("reason", entry.getReason())
                    .put("links", new JsonObject().put("self", self));
            if (entry.getExpiresAt() != null) {
                json.put("expiresAt", entry.getExpiresAt().toString());
            }
            JsonRoutes.replyWithLocation(context, 201, self, json);
        });
    }

    private void remove(RoutingContext context) {
        Optional<ListKind> list = list(context);
        if (list.isEmpty()) {
            return;
        }
        String entryId = context.pathParam(ENTRY_ID);
        Optional<String> key = ListEntries.keyOf(entryId, Caller.of(context).merchantId(), list.get());
        if (key.isEmpty()) {
            JsonRoutes.notFound(context, "No list entry with this id.");
            return;
        }
        publisher.tombstone(key.get()).acknowledged().onComplete(written -> {
            if (written.failed()) {
                LOG.warn("Removal of list entry {} not accepted: Kafka did not acknowledge ({})", entryId,
                        written.cause().toString());
                JsonRoutes.unavailable(context, "The entry was not removed; retry later.");
                return;
            }
            LOG.info("Removed {} list entry {} of merchant {}", list.get(), entryId, Caller.of(context).merchantId());
            HttpReplies.replyJson(context, 202, new JsonObject()
                    .put(ENTRY_ID, entryId)
                    .put(LIST, list.get().name())
                    .put("status", "REMOVED"));
        });
    }

    /** allow or block, from the path; anything else is an unknown path, 404. */
    private static Optional<ListKind> list(RoutingContext context) {
        String name = context.pathParam(LIST);
        Optional<ListKind> list = switch (name) {
            case "allow" -> Optional.of(ListKind.ALLOW);
            case "block" -> Optional.of(ListKind.BLOCK);
            default -> Optional.empty();
        };
        if (list.isEmpty()) {
            JsonRoutes.notFound(context, "Lists are allow and block.");
        }
        return list;
    }

    private static String entriesPath(ListKind list) {
        return LISTS_PATH + "/" + (list == ListKind.ALLOW ? "allow" : "block") + "/entries";
    }
}
