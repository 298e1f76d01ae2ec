import MaillageCore
import Testing

@Suite struct FetchAddressTests {
    static func scope(_ text: String) -> IPAddress.Scope? {
        (IPAddress(dottedQuad: text) ?? IPAddress(ipv6: text))?.scope
    }

    @Test(arguments: [
        ("0.0.0.0", IPAddress.Scope.unspecified), ("0.1.2.3", .unspecified),
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback),
        ("10.0.0.1", .privateNetwork), ("10.255.255.255", .privateNetwork),
        ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("192.168.1.1", .privateNetwork),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("169.254.169.254", .linkLocal), ("169.254.0.1", .linkLocal),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast),
        ("240.0.0.1", .reserved), ("255.255.255.254", .reserved), ("255.255.255.255", .broadcast),
        ("192.0.2.10", .reserved), ("198.51.100.7", .reserved), ("203.0.113.9", .reserved),
        ("198.18.0.1", .reserved), ("192.0.0.8", .reserved),
    ])
    func ipv4RangesThatAreNotPublic(_ text: String, _ expected: IPAddress.Scope) {
        #expect(Self.scope(text) == expected, "\(text)")
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                      "100.128.0.1", "169.253.255.255", "11.0.0.1", "126.255.255.255", "128.0.0.1", "223.255.255.255",
                      "192.169.0.1", "198.20.0.1"])
    func ipv4PublicAddressesAreGlobal(_ text: String) {
        #expect(Self.scope(text) == .global, "\(text)")
    }

    @Test(arguments: [
        ("::", IPAddress.Scope.unspecified), ("::1", .loopback), ("0:0:0:0:0:0:0:1", .loopback),
        ("fe80::1", .linkLocal), ("febf:ffff::1", .linkLocal),
        ("fc00::1", .privateNetwork), ("fd12:3456:789a::1", .privateNetwork), ("fec0::1", .privateNetwork),
        ("ff02::1", .multicast), ("ff0e::101", .multicast),
        ("2001:db8::1", .reserved), ("2001::1", .reserved), ("3fff::1", .reserved), ("100::1", .reserved),
        ("::7f00:1", .reserved), ("64:ff9b:1::a00:1", .privateNetwork),
    ])
    func ipv6RangesThatAreNotPublic(_ text: String, _ expected: IPAddress.Scope) {
        #expect(Self.scope(text) == expected, "\(text)")
    }

    @Test(arguments: ["2001:4860:4860::8888", "2606:4700:4700::1111", "2a01:e0a:1::1", "3ffe::1"])
    func ipv6PublicAddressesAreGlobal(_ text: String) {
        #expect(Self.scope(text) == .global, "\(text)")
    }

    /// An IPv4 address inside IPv6 goes where the IPv4 address goes, whichever wrapping carries it.
    @Test(arguments: [
        ("::ffff:127.0.0.1", IPAddress.Scope.loopback), ("::ffff:7f00:1", .loopback), ("::FFFF:10.1.2.3", .privateNetwork),
        ("::ffff:169.254.169.254", .linkLocal), ("::ffff:0.0.0.0", .unspecified), ("::ffff:100.64.1.1", .sharedAddressSpace),
        ("64:ff9b::127.0.0.1", .loopback), ("64:ff9b::a9fe:a9fe", .linkLocal), ("64:ff9b::192.168.0.1", .privateNetwork),
        ("2002:7f00:1::", .loopback), ("2002:c0a8:101::1", .privateNetwork),
        ("::ffff:8.8.8.8", .global), ("64:ff9b::8.8.8.8", .global), ("2002:808:808::1", .global),
    ])
    func embeddedIPv4AddressesAreJudgedAsIPv4(_ text: String, _ expected: IPAddress.Scope) {
        #expect(Self.scope(text) == expected, "\(text)")
    }

    @Test func onlyTheCanonicalDottedQuadIsAnIPv4Address() {
        #expect(IPAddress(dottedQuad: "192.168.1.1") == .v4(0xc0a8_0101))
        for odd in ["127.1", "127.0.1", "0x7f.0.0.1", "0177.0.0.1", "127.000.000.001", "2130706433", "256.0.0.1",
                    "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "", "1.2.3.-4", "1.2.3.4 ", "١٢٧.0.0.1"] {
            #expect(IPAddress(dottedQuad: odd) == nil, "\(odd)")
        }
    }

    @Test func ipv6TextIsReadStrictly() {
        #expect(IPAddress(ipv6: "::1") == .v6(high: 0, low: 1))
        #expect(IPAddress(ipv6: "1:2:3:4:5:6:7::") == .v6(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0000))
        #expect(IPAddress(ipv6: "::ffff:1.2.3.4") == IPAddress(ipv6: "::ffff:102:304"))
        for bad in ["", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::1", "g::1", "::1%eth0",
                    "[::1]", "::ffff:127.1", "1:2:3:4:5:6:7:8::", "::1.2.3.4:5"] {
            #expect(IPAddress(ipv6: bad) == nil, "\(bad)")
        }
    }

    @Test func addressesAreWrittenCanonically() {
        #expect(IPAddress(ipv6: "2001:0db8:0000:0000:0000:0000:0000:0001")?.description == "2001:db8::1")
        #expect(IPAddress(ipv6: "0:0:0:0:0:0:0:0")?.description == "::")
        #expect(IPAddress(ipv6: "1:0:0:2:0:0:0:3")?.description == "1:0:0:2::3")
        #expect(IPAddress(ipv6: "1:0:2:3:4:5:6:7")?.description == "1:0:2:3:4:5:6:7")
        #expect(IPAddress(ipv6: "::ffff:127.0.0.1")?.description == "::ffff:7f00:1")
        #expect(IPAddress(bytes: [127, 0, 0, 1])?.description == "127.0.0.1")
        #expect(IPAddress(bytes: [0xfe, 0x80] + Array(repeating: 0, count: 13) + [1])?.description == "fe80::1")
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test func hostsAreNamesOrCanonicalAddresses() {
        #expect(FetchHost.read("Catalogue.Example.ORG") == .name("catalogue.example.org"))
        #expect(FetchHost.read("example.org.") == .name("example.org"))
        #expect(FetchHost.read("cafe.be") == .name("cafe.be"))
        #expect(FetchHost.read("1e100.net") == .name("1e100.net"))
        #expect(FetchHost.read("localhost") == .name("localhost"))
        #expect(FetchHost.read("93.184.216.34") == .address(.v4(0x5db8_d822)))
        #expect(FetchHost.read("[::1]") == .address(.v6(high: 0, low: 1)))
        #expect(FetchHost.read("[::ffff:127.0.0.1]")?.addressScope == .loopback)
    }

    /// The spellings the C resolver reads as numbers (`inet_aton`) are refused, not interpreted.
    @Test(arguments: ["0x7f000001", "0x7f.1", "0x7F.0.0.1", "2130706433", "127.1", "127.0.1", "0177.0.0.1", "0",
                      "127.0.0.1.", "0x", "017700000001", "10.0.0.010", "134744072"])
    func oddNumericHostsAreRefused(_ host: String) {
        #expect(FetchHost.looksNumeric(host.lowercased()), "\(host)")
        #expect(FetchHost.read(host) == nil, "\(host)")
    }

    @Test(arguments: ["", "exa mple.org", "exa_mple.org/", "::1", "[::1", "[127.0.0.1]", "[fe80::1%25eth0]", "ex..ample.org",
                      "é.example", String(repeating: "a", count: 64) + ".org", "example.org..", "a@b"])
    func malformedHostsAreRefused(_ host: String) {
        #expect(FetchHost.read(host) == nil, "\(host)")
    }
}

extension FetchHost {
    var addressScope: IPAddress.Scope? {
        if case .address(let address) = self { return address.scope }
        return nil
    }
}
