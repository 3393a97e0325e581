// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "PhoneBoot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "phoneboot", targets: ["phoneboot"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2")
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
        // Stateful analysis over decoded packets (TFTP conversations for now).
        .target(
            name: "BootAnalysis",
            dependencies: ["WireFormats"]
        ),
        .executableTarget(
            name: "phoneboot",
            dependencies: [
                "PacketCapture",
                "WireFormats",
                "BootAnalysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Builders shared by the test targets (pcap files, frames); not a product.
        .target(
            name: "PhoneBootTestSupport",
            path: "Tests/PhoneBootTestSupport"
        ),
        .testTarget(
            name: "WireFormatsTests",
            dependencies: ["WireFormats"]
        ),
        .testTarget(
            name: "BootAnalysisTests",
            dependencies: ["BootAnalysis", "WireFormats"]
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
