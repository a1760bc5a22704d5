// Sidecars written by the model service before signing: feature_list only, Python indent=2 style.
[['churn/3/model.pkl', 'churn', '3'], ['ranker/7/model.onnx', 'ranker', '7']].each { path, name, version ->
    def artifact = new File(basedir, "models/$path"); artifact.parentFile.mkdirs(); artifact.bytes = "$name $version bytes".bytes
    new File(artifact.parentFile, 'model_metadata.json').setText("""{
  "name": "$name",
  "version": "$version",
  "feature_list": [
    "age",
    "r\\u00e9gion"
  ],
  "mlflow_run_id": null,
  "metrics": {"auc": 0.91, "lr": 1e-05}
}
""", 'UTF-8')
}
true
