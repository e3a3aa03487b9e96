package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Posting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The JSON shapes of the query API. Amounts stay integer minor units with their currency. */
final class LedgerJson {

    private LedgerJson() {
    }

    static JsonObject balance(AccountName account, AccountBalance balance) {
        return new JsonObject()
                .put("account", balance.account())
                .put("currency", balance.currency())
                .put("debitsMinor", balance.debitsMinor())
                .put("creditsMinor", balance.creditsMinor())
                .put("normalSide", account.normalSide().name())
                .put("balanceMinor", balance.balanceMinor(account.normalSide()));
    }

    static JsonObject entriesOfTransaction(String transactionId, List<JournalEntry> entries) {
        JsonArray array = new JsonArray();
        entries.forEach(entry -> array.add(entry(entry)));
        return new JsonObject().put("transactionId", transactionId).put("entries", array);
    }

    static JsonObject entry(JournalEntry entry) {
        JsonArray postings = new JsonArray();
        for (Posting posting : entry.getPostings()) {
            postings.add(new JsonObject()
                    .put("account", posting.getAccount())
                    .put("side", posting.getSide().name())
                    .put("amountMinor", posting.getAmount().getAmountMinor())
                    .put("currency", posting.getAmount().getCurrency()));
        }
        return new JsonObject()
                .put("entryId", entry.getEntryId())
                .put("sequence", entry.getSequence())
                .put("transactionId", entry.getTransactionId())
                .put("sourceEventId", entry.getSourceEventId())
                .put("kind", entry.getKind())
                .put("postedAt", entry.getPostedAt().toString())
                .put("postings", postings)
                .put("previousHash", entry.getPreviousHash())
                .put("hash", entry.getHash());
    }

    static JsonObject ownerBalance(OwnerBalance balance) {
        JsonArray accounts = new JsonArray();
        for (AccountBalance account : balance.accounts()) {
            accounts.add(balance(AccountName.parse(account.account()), account));
        }
        return new JsonObject()
                .put("type", balance.type())
                .put("owner", balance.owner())
                .put("currency", balance.currency())
                .put("availableMinor", balance.availableMinor())
                .put("pendingMinor", balance.pendingMinor())
                .put("totalMinor", balance.totalMinor())
                .put("accounts", accounts);
    }

    static JsonObject page(EntryPage page) {
        JsonArray array = new JsonArray();
        page.entries().forEach(entry -> array.add(entry(entry)));
        JsonObject json = new JsonObject().put("entries", array);
        page.nextAfter().ifPresent(next -> json.put("nextAfter", next));
        return json;
    }

    static JsonObject refusals(List<Numbered<AuditRecord>> refusals, int limit) {
        JsonArray array = new JsonArray();
        for (Numbered<AuditRecord> refusal : refusals) {
            AuditRecord record = refusal.value();
            array.add(new JsonObject()
                    .put("number", refusal.number())
                    .put("auditId", record.getAuditId())
                    .put("occurredAt", record.getOccurredAt().toString())
                    .put("transactionId", record.getSubjectId())
                    .put("details", new JsonObject(new java.util.TreeMap<String, Object>(record.getDetails()))));
        }
        JsonObject json = new JsonObject().put("refusals", array);
        if (refusals.size() == limit) {
            json.put("nextAfter", refusals.get(refusals.size() - 1).number());
        }
        return json;
    }

    static JsonObject trialBalance(List<CurrencyTotals> totals) {
        JsonArray currencies = new JsonArray();
        for (CurrencyTotals currency : totals) {
            currencies.add(new JsonObject()
                    .put("currency", currency.currency())
                    .put("debitsMinor", currency.debitsMinor())
                    .put("creditsMinor", currency.creditsMinor())
                    .put("netMinor", Math.subtractExact(currency.debitsMinor(), currency.creditsMinor()))
                    .put("balanced", currency.balanced()));
        }
        boolean balanced = totals.stream().allMatch(CurrencyTotals::balanced);
        return new JsonObject().put("balanced", balanced).put("currencies", currencies);
    }
}
