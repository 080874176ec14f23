"""Progress charts: `data` turns a patient's series into a chart's title, summary and table;
`figures` draws them with matplotlib (object-oriented API, Agg, no pyplot)."""
