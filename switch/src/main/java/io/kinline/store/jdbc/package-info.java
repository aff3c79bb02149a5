/**
 * The store in SQL (H2 embedded, PostgreSQL), with HikariCP and Flyway. The only package that touches
 * JDBC, and the one place tables and keys are mapped (ArchitectureTest).
 */
package io.kinline.store.jdbc;
