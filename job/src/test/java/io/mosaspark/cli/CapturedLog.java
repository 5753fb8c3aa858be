package io.mosaspark.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The events one class logs while open, at every level down to debug. */
final class CapturedLog implements AutoCloseable {
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final Level previous;
    private final AbstractAppender appender;

    private CapturedLog(Class<?> source) {
        this.logger = (Logger) LogManager.getLogger(source);
        this.previous = logger.getLevel();
        this.appender = new AbstractAppender("captured-" + source.getSimpleName(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    static CapturedLog of(Class<?> source) {
        return new CapturedLog(source);
    }

    List<Throwable> debugThrowables() {
        return events.stream().filter(e -> e.getLevel() == Level.DEBUG && e.getThrown() != null)
                .map(LogEvent::getThrown).toList();
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        logger.setLevel(previous);
        appender.stop();
    }
}
