package dev.spike.model.codec;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of decoding: a value or a {@link DecodeError}, never both, never neither.
 *
 * @param <T> the decoded type
 */
public final class Decoded<T> {

    private final T value;
    private final DecodeError error;

    private Decoded(T value, DecodeError error) {
        this.value = value;
        this.error = error;
    }

    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(Objects.requireNonNull(value, "value"), null);
    }

    public static <T> Decoded<T> failed(DecodeError error) {
        return new Decoded<>(null, Objects.requireNonNull(error, "error"));
    }

    public static <T> Decoded<T> failed(String field, String reason) {
        return failed(new DecodeError(field, reason));
    }

    public boolean isOk() {
        return value != null;
    }

    /** The value; throws if this is an error, which is a bug in the caller. */
    public T value() {
        if (value == null) {
            throw new NoSuchElementException("decode failed: " + error);
        }
        return value;
    }

    /** The error; throws if this is a value. */
    public DecodeError error() {
        if (error == null) {
            throw new NoSuchElementException("decode succeeded");
        }
        return error;
    }

    /** Keeps an error, narrows a value to {@code type} or turns it into an error if it is something else. */
    public <R> Decoded<R> as(Class<R> type) {
        if (error != null) {
            return failed(error);
        }
        return type.isInstance(value)
                ? ok(type.cast(value))
                : failed(DecodeError.PAYLOAD, "is a " + value.getClass().getSimpleName() + ", not a "
                        + type.getSimpleName());
    }

    public <R> Decoded<R> map(Function<? super T, ? extends R> mapper) {
        return error != null ? failed(error) : ok(mapper.apply(value));
    }

    @Override
    public String toString() {
        return error != null ? "Decoded[error=" + error + "]" : "Decoded[" + value + "]";
    }
}
