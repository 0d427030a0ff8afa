DROP TABLE case_agents;
