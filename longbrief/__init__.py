"""The `longbrief` command: the one place that ties the pipeline, training and the app together."""
