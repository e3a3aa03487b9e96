package dev.ngao.ingest.payment;

/** The wallet operators the mobile-money hub reaches. */
public enum MobileMoneyOperator {
    MPESA,
    MTN_MOMO,
    AIRTEL_MONEY,
    ORANGE_MONEY
}
