package dev.cairn.features.online;

import java.util.List;
import java.util.Optional;

/**
 * Where the latest feature values of each entity are kept for serving: one record per (view, entity), and each view's
 * {@link Watermark}. Opened by URI ({@link OnlineStores#open}): {@code sqlite:/path/online.db} (embedded) or
 * {@code redis://host:port}. A materialization writes records, then the watermark: a crash between the two makes the
 * next one write the same records again, which changes nothing.
 */
public interface OnlineStore extends AutoCloseable {

    /** Writes (or replaces) the records of one view. */
    void put(String view, List<OnlineRecord> records);

    /** The records of a view for these keys, in their order; empty where an entity has none. */
    List<Optional<OnlineRecord>> get(String view, List<EntityKey> keys);

    /** Removes every record of a view and its watermark. */
    void clear(String view);

    Optional<Watermark> watermark(String view);

    void setWatermark(Watermark watermark);

    /** The URI it was opened from, without a password. */
    String uri();

    @Override
    void close();
}
