-- PostgreSQL only: the statistics' roll-up (migrations/postgres/2026-12-01-000002_stats_rollup)
-- counts months in a time zone, and SQLite has no time-zone database; on SQLite the reports
-- read the covering indexes of 2026-11-25-070000_stats_covering, which meet their targets there.
SELECT 1;
