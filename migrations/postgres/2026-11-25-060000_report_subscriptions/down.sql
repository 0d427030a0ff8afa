DROP TABLE report_subscriptions;
