--liquibase formatted sql

--changeset bob:features
CREATE TABLE features (id BIGINT PRIMARY KEY, model_id BIGINT NOT NULL REFERENCES model_metadata (id), "value" VARCHAR(20));
--rollback DROP TABLE features;

--changeset bob:features-index
CREATE INDEX ix_features_model ON features (model_id);
--rollback DROP INDEX ix_features_model;
