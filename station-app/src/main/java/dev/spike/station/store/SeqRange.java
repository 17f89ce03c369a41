package dev.spike.station.store;

/**
 * Seqs {@code from..to} of one agent, both included: a gap the station has to fetch.
 *
 * @param from the first missing seq, >= 1
 * @param to   the last missing seq, >= from
 */
public record SeqRange(long from, long to) {

    public SeqRange {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("a range needs 1 <= from <= to, was " + from + ".." + to);
        }
    }

    /** How many seqs the range holds. */
    public long size() {
        return to - from + 1;
    }

    @Override
    public String toString() {
        return from + ".." + to;
    }
}
