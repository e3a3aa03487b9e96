package dev.ngao.schemas.topics;

/** The single component allowed to write a topic. Every topic has exactly one. */
public enum Writer {
    INGEST_SERVICE,
    RISK_STREAMS,
    LEDGER_SERVICE,
    RECONCILER,
    /** The analysts' and operators' console: its people's accounts and its audit trail. */
    CONSOLE,
    /** The embedded schema store writes its own topic, from whichever process registers first. */
    SCHEMA_STORE
}
