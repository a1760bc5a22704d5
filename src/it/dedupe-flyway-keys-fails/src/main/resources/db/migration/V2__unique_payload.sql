-- released: production has this key, so it is not checked again
CREATE UNIQUE INDEX ux_model_payload ON model_metadata (payload);
