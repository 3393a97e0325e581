// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "PhoneBoot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "phoneboot", targets: ["phoneboot"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // libpcap, from Debian's libpcap-dev. Only PacketCapture imports it.
        .systemLibrary(
            name: "CLibpcap",
            path: "CLibpcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        // The Swift face of libpcap: files, standard input, BPF filters, frames out.
        .target(
            name: "PacketCapture",
            dependencies: ["CLibpcap"]
        ),
        // Pure decoders and encoders: no I/O, no libpcap, no Foundation.
        .target(
            name: "WireFormats",
            swiftSettings: [.enableExperimentalFeature("Lifetimes"), .strictMemorySafety()]
        ),
        // libxml2, from Debian's libxml2-dev. Only MasterConfigXML imports it.
        .systemLibrary(
            name: "CLibxml2",
            path: "CLibxml2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Polycom master configuration files read with libxml2 (no Foundation): once per master
        // file a capture holds, never per packet, a parser context of its own each time.
        .target(
            name: "MasterConfigXML",
            dependencies: ["CLibxml2"]
        ),
        // libcurl's header, from Debian's libcurl4-openssl-dev: the HTTPS client of `probe --fetch`
        // (TLS as a phone speaks it, bound to the probed interface). Not linked: the library is
        // opened when an HTTPS fetch needs it (CLibcurl/shim.h). Only the phoneboot target imports it.
        .systemLibrary(
            name: "CLibcurl",
            path: "CLibcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Stateful analysis over decoded packets: phones, DHCP, TFTP/FTP/HTTP/TLS fetches, findings.
        .target(
            name: "BootAnalysis",
            dependencies: [
                "WireFormats",
                "MasterConfigXML",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // The option-160 proxy: INFORM responder and relay agent on SwiftNIO; the decisions
        // themselves are pure functions over WireFormats types.
        .target(
            name: "BootProxy",
            dependencies: [
                "WireFormats",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // The metrics endpoint: a Prometheus registry served over HTTP (NIOHTTP1), off by default.
        .target(
            name: "Telemetry",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "phoneboot",
            dependencies: [
                "PacketCapture",
                "WireFormats",
                "BootAnalysis",
                "MasterConfigXML",
                "BootProxy",
                "Telemetry",
                "CLibcurl",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The benchmark's load client (Benchmarks/proxy-benchmark.sh): many phones at once.
        .executableTarget(
            name: "dhcp-load",
            dependencies: [
                "WireFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/DHCPLoad"
        ),
        // Writes a pcap of DISCOVERs from random non-phone MACs, for analyze's memory bound.
        .executableTarget(
            name: "random-discovers",
            dependencies: [
                "PhoneBootTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/RandomClients"
        ),
        // The analyze benchmark's capture generator (Benchmarks/analyze-benchmark.sh).
        .executableTarget(
            name: "boot-storm",
            dependencies: [
                "PhoneBootTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/BootStorm"
        ),
        // The analyze benchmark's floor: a plain pcap_next_ex loop touching every byte.
        .executableTarget(
            name: "pcap-floor",
            dependencies: ["CLibpcap"],
            path: "Benchmarks/PcapFloor"
        ),
        // Builders shared by the test targets (pcap files, frames); not a product.
        .target(
            name: "PhoneBootTestSupport",
            path: "Tests/PhoneBootTestSupport"
        ),
        .testTarget(
            name: "WireFormatsTests",
            dependencies: ["WireFormats", "PhoneBootTestSupport"]
        ),
        .testTarget(
            name: "BootAnalysisTests",
            dependencies: ["BootAnalysis", "WireFormats", "MasterConfigXML"]
        ),
        .testTarget(
            name: "BootProxyTests",
            dependencies: ["BootProxy", "WireFormats"]
        ),
        .testTarget(
            name: "PacketCaptureTests",
            dependencies: ["PacketCapture", "PhoneBootTestSupport"]
        ),
        .testTarget(
            name: "PhoneBootTests",
            dependencies: ["PacketCapture", "WireFormats", "BootAnalysis", "PhoneBootTestSupport", "phoneboot"]
        ),
    ]
)

// Swift 6 language mode everywhere, with the upcoming features the Swift server packages use.
// System-library targets take no settings, so they are skipped.
for target in package.targets where [.regular, .test, .executable].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
