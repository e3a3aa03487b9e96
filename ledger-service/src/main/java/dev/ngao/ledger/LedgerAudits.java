package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.Posting;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import static dev.ngao.ledger.LedgerCodec.decodeBalance;
import static dev.ngao.ledger.LedgerCodec.decodeEntry;
import static dev.ngao.platform.rocksdb.RocksCodec.string;

/** Checks of a whole ledger against itself: the hash chain, and the stored totals against the entries. */
final class LedgerAudits {

    private final LedgerReads ledger;

    LedgerAudits(LedgerReads ledger) {
        this.ledger = ledger;
    }

    /**
     * Walks the whole chain from entry 1 and returns the first break: a missing sequence, an entry whose
     * previous hash is not the hash of the entry before it, or whose hash does not match its content.
     */
    ChainVerification verifyChain(ChainHead head) {
        return ledger.read(db -> {
            ChainHead previous = ChainHead.GENESIS;
            try (RocksIterator iterator = db.newIterator(ledger.family(LedgerFamily.ENTRY_SEQUENCE))) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    long sequence = ByteBuffer.wrap(iterator.key()).getLong();
                    byte[] stored = db.get(ledger.family(LedgerFamily.ENTRIES), iterator.value());
                    Optional<String> problem = stored == null ? Optional.of("entry " + string(iterator.value())
                            + " is indexed but not stored") : ChainVerification.problem(decodeEntry(stored), previous,
                            sequence);
                    if (problem.isPresent()) {
                        return ChainVerification.broken(previous.sequence(), sequence, problem.get());
                    }
                    JournalEntry entry = decodeEntry(stored);
                    previous = new ChainHead(entry.getSequence(), entry.getHash());
                }
                iterator.status();
            }
            if (previous.sequence() != head.sequence()) {
                return ChainVerification.broken(previous.sequence(), previous.sequence() + 1,
                        "the chain ends at " + previous.sequence() + " but the ledger's head is " + head.sequence());
            }
            // The last entry has no successor naming its hash: the head kept with the batch is what does.
            if (!Objects.equals(previous.hash(), head.hash())) {
                return ChainVerification.broken(previous.sequence() - 1, previous.sequence(),
                        "entry " + previous.sequence() + " does not match the ledger's head hash");
            }
            return ChainVerification.intact(previous.sequence());
        });
    }

    /**
     * Recomputes every account's totals from the entries and compares them with the stored balances;
     * returns the first account whose stored totals differ (in name order), if any.
     */
    Optional<String> verifyBalances() {
        return ledger.read(db -> {
            Map<String, AccountBalance> recomputed = new TreeMap<>();
            try (RocksIterator iterator = db.newIterator(ledger.family(LedgerFamily.ENTRIES))) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    for (Posting posting : decodeEntry(iterator.value()).getPostings()) {
                        AccountBalance before = recomputed.getOrDefault(posting.getAccount(),
                                AccountBalance.empty(AccountName.parse(posting.getAccount())));
                        recomputed.put(posting.getAccount(),
                                before.plus(posting.getSide(), posting.getAmount().getAmountMinor()));
                    }
                }
                iterator.status();
            }
            try (RocksIterator iterator = db.newIterator(ledger.family(LedgerFamily.BALANCES))) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    String account = string(iterator.key());
                    AccountBalance stored = decodeBalance(account, iterator.value());
                    if (!stored.equals(recomputed.remove(account))) {
                        return Optional.of("stored totals of " + account + " differ from its entries");
                    }
                }
                iterator.status();
            }
            return recomputed.keySet().stream().findFirst()
                    .map(account -> "entries post to " + account + " but it has no stored totals");
        });
    }
}
