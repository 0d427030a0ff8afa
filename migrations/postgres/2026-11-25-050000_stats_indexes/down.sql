DROP INDEX consultations_received;
DROP INDEX cases_closed_at;
