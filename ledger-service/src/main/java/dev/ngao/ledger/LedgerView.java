package dev.ngao.ledger;

import java.util.Optional;

/** What a batch reads of the committed ledger while it is built. */
interface LedgerView {

    boolean containsEntry(String entryId);

    Optional<AccountBalance> balance(AccountName account);

    Optional<Lifecycle> lifecycle(String transactionId);
}
