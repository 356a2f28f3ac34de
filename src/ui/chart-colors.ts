/**
 * The series colours of every chart (Benchmark, Exam, critic evaluation), in
 * order: one palette, so a run or critic keeps its colour from chart to chart.
 * The green is the light theme's --ok (app.css), which passes 4.5:1 on white.
 */
const SERIES_COLORS = ['#3d5afe', '#0e7553', '#b54708', '#b42318', '#7a5af8', '#0e9384'] as const;

/** The colour of the i-th series (the palette repeats). */
export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length] ?? SERIES_COLORS[0];
}
