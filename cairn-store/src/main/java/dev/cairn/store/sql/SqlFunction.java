package dev.cairn.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection, inside or outside a transaction. */
@FunctionalInterface
public interface SqlFunction<T> {
    T apply(Connection connection) throws SQLException;
}
