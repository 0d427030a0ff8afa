DROP TABLE admin_events;
