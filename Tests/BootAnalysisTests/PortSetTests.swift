import Testing

@testable import BootAnalysis

@Suite("PortSet: a bitmap of ports")
struct PortSetTests {
    @Test("holds exactly the ports inserted, the lowest and highest included")
    func membership() {
        var ports = PortSet([21, 80, 443])
        ports.insert(0)
        ports.insert(65_535)
        ports.insert(8080)
        let expected: Set<UInt16> = [0, 21, 80, 443, 8080, 65_535]
        for port in UInt16.min...UInt16.max {
            #expect(ports.contains(port) == expected.contains(port), "port \(port)")
        }
    }
}
