package dev.spike.station.connection;

/** A registered listener; {@link #close()} removes it. Closing twice does nothing. */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    @Override
    void close();
}
