"""Progress charts: `data` turns a patient's series into a chart's title, summary and table;
`figures` (girth, symmetry, heel-rise) and `training` (volume, pain, adherence) draw them with
matplotlib (object-oriented API, Agg, no pyplot) in the look of `style` (sizes, fonts, colours, date
axes, SVG without inline CSS)."""
