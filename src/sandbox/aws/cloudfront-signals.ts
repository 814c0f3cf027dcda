// CloudFront's metrics (AWS/CloudFront, Region=Global) for the simulated CloudWatch: a busy frontend with
// a cache hit rate in the 80s and rare 5xx, which dips and rises in the fleet's incident windows.

/** One minute of a CloudFront metric; rates are percentages as CloudFront reports them. */
export function cloudfrontMetric(name: string, load: number, jitter: number, spike: boolean): number {
  switch (name) {
    case 'Requests':
      return (200 + 1800 * load) * (0.9 + 0.2 * jitter) * 60;
    case 'BytesDownloaded':
      return (200 + 1800 * load) * 60 * 48_000;
    case '4xxErrorRate':
      return 0.3 + 0.4 * jitter + (spike ? 0.6 : 0);
    case '5xxErrorRate':
      return spike ? 1.2 + 1.5 * jitter : jitter < 0.85 ? 0 : 0.02 + 0.04 * jitter;
    case 'TotalErrorRate':
      return (
        cloudfrontMetric('4xxErrorRate', load, jitter, spike) + cloudfrontMetric('5xxErrorRate', load, jitter, spike)
      );
    case 'CacheHitRate':
      // Busy hours keep the cache warm; an incident (a deploy gone wrong) sends many requests to the origin.
      return Math.min(99, (82 + 8 * load + 4 * jitter) * (spike ? 0.85 : 1));
    case 'OriginLatency':
      return (40 + 30 * load + 10 * jitter) * (spike ? 8 : 1);
    default:
      return 0;
  }
}
