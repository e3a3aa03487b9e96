package dev.ngao.ledger;

import java.util.List;

/**
 * What one owner (a merchant, a card) has in one currency: {@code available} (may be spent),
 * {@code pending} (the {@code pending} and {@code held} accounts: collected but not confirmed, or
 * authorized but not captured) and {@code total}, each on the owner's normal side, in minor units.
 */
public record OwnerBalance(String type, String owner, String currency, long availableMinor, long pendingMinor,
                           long totalMinor, List<AccountBalance> accounts) {

    static OwnerBalance of(AccountType type, String owner, String currency, List<AccountBalance> balances) {
        long available = 0;
        long pending = 0;
        long total = 0;
        List<AccountBalance> ofCurrency = balances.stream().filter(balance -> balance.currency().equals(currency))
                .toList();
        for (AccountBalance balance : ofCurrency) {
            AccountName account = AccountName.parse(balance.account());
            long amountMinor = balance.balanceMinor(account.normalSide());
            switch (account.role()) {
                case AccountName.AVAILABLE -> available = Math.addExact(available, amountMinor);
                case "pending", "held" -> pending = Math.addExact(pending, amountMinor);
                default -> { }
            }
            total = Math.addExact(total, amountMinor);
        }
        return new OwnerBalance(type.segment(), owner, currency, available, pending, total, ofCurrency);
    }
}
