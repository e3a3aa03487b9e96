package dev.ngao.ledger;

/**
 * One currency's line of the trial balance: every debit and every credit posted in it, over all
 * accounts. Double entry means the two are always equal.
 */
public record CurrencyTotals(String currency, long debitsMinor, long creditsMinor) {

    public boolean balanced() {
        return debitsMinor == creditsMinor;
    }

    CurrencyTotals plus(AccountBalance balance) {
        return new CurrencyTotals(currency, Math.addExact(debitsMinor, balance.debitsMinor()),
                Math.addExact(creditsMinor, balance.creditsMinor()));
    }
}
