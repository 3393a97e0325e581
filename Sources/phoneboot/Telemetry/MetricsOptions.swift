import ArgumentParser
import Metrics
import Prometheus
import Telemetry

/// `--metrics-address`, shared by `proxy` and `watch`: Prometheus metrics over HTTP, off by
/// default.
struct MetricsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-address"),
        help: ArgumentHelp(
            "Serve Prometheus metrics at http://HOST:PORT/metrics (off by default), e.g. 127.0.0.1:9464.",
            valueName: "host:port"))
    var address: String?

    func validate() throws {
        if let address, MetricsAddress(address) == nil {
            throw ValidationError(
                "--metrics-address \"\(address)\" is not HOST:PORT (like 127.0.0.1:9464 or [::1]:9464).")
        }
    }

    /// With `--metrics-address`: makes swift-metrics record into a Prometheus registry (once per
    /// process) and serves it; `nil` without the option, and swift-metrics stays a no-op.
    func start(durationBuckets: [String: [Duration]] = [:]) throws(MetricsEndpoint.StartError) -> MetricsEndpoint? {
        guard let text = self.address, let address = MetricsAddress(text) else { return nil }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)
        return try MetricsEndpoint(address: address, registry: registry)
    }
}
