import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT (Ctrl-C) and SIGTERM (a service manager) handled on a dispatch queue rather than
/// ending the process, so that a long-running command can stop cleanly and print its report.
/// ``restore()`` gives the signals their default actions back.
struct TerminationSignals {
    private static let numbers = [SIGINT, SIGTERM]
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable () -> Void) {
        self.sources = Self.numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func restore() {
        for source in self.sources { source.cancel() }
        for number in Self.numbers { signal(number, SIG_DFL) }
    }
}
