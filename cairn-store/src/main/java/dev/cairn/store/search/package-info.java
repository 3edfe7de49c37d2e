/**
 * MLflow's search grammar (filters and order-by clauses), extended with OR and parentheses,
 * parsed into {@link dev.cairn.store.search.Filter} trees and compiled to parameterised SQL: values
 * only ever reach the database as bound parameters.
 */
package dev.cairn.store.search;
