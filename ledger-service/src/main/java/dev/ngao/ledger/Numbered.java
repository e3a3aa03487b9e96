package dev.ngao.ledger;

/** A stored record with its number in its log (a refusal's number, for paging and the outbox). */
public record Numbered<T>(long number, T value) {
}
