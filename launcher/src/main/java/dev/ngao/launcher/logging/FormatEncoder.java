package dev.ngao.launcher.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import java.util.Locale;

/**
 * The log layout chosen at start by {@code NGAO_LOG_FORMAT}: {@value #TEXT} (the {@code pattern}) or
 * {@value #JSON} (logback's {@link JsonEncoder}: one object per line with the epoch-millisecond timestamp,
 * level, thread, logger, formatted message, throwable and the MDC).
 *
 * <p>One appender with this encoder rather than one appender per layout picked by name: logback warns about
 * every declared appender no logger references, and a warning makes it print its whole configuration status
 * at every start. Conditional configuration would need Janino on the class path for this one choice.
 */
public final class FormatEncoder extends EncoderBase<ILoggingEvent> {

    public static final String TEXT = "text";
    public static final String JSON = "json";

    private String format = TEXT;
    private String pattern;
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format == null ? TEXT : format.trim().toLowerCase(Locale.ROOT);
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        if (JSON.equals(format)) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            delegate = json;
        } else {
            if (!TEXT.equals(format)) {
                addError("NGAO_LOG_FORMAT must be '" + TEXT + "' or '" + JSON + "', not '" + format
                        + "': logging as text");
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
