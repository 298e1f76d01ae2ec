import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import MaillageApp
@testable import MaillageCore

/// A catalog brought from another platform links its products' photos on that platform's server:
/// each is downloaded once, shrunk and stripped of its metadata (the farm's GPS position taken by
/// the phone never leaks), and kept for a product on sale as for a draft waiting for its price.
@Suite(.serialized) struct FoodDFCImageTests {
    /// A text no re-encoded image can contain by chance, written in the photo's EXIF.
    static let marker = "Verger-Maillage-GPS-46.3191N"

    /// A real JPEG made by ImageMagick, with an APP1 Exif segment carrying a description (the
    /// marker) and a GPS position (46° 19' 12.34" N).
    static func photoWithPosition() throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maillage-exif-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let plain = directory.appendingPathComponent("plain.jpg")
        try run(UploadedPhoto.defaultConverter, ["-size", "40x30", "xc:#8e44ad", "jpg:" + plain.path])
        var jpeg = try Data(contentsOf: plain)
        #expect(jpeg.starts(with: [0xFF, 0xD8]))

        // TIFF, little-endian: IFD0 (description, pointer to the GPS IFD), GPS IFD (N, latitude), then their values.
        var tiff = Data()
        func u16(_ v: UInt16) { tiff.append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8)]) }
        func u32(_ v: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { tiff.append(UInt8((v >> UInt32(shift)) & 0xFF)) } }
        let description = Array(marker.utf8) + [0]
        let gpsIFD: UInt32 = 38, rationals: UInt32 = 68, text: UInt32 = 92
        tiff.append(contentsOf: Array("II".utf8)); u16(42); u32(8)
        u16(2)
        u16(0x010E); u16(2); u32(UInt32(description.count)); u32(text)     // ImageDescription
        u16(0x8825); u16(4); u32(1); u32(gpsIFD)                             // GPSInfo
        u32(0)
        u16(2)
        u16(0x0001); u16(2); u32(2); tiff.append(contentsOf: Array("N".utf8) + [0, 0, 0])   // GPSLatitudeRef
        u16(0x0002); u16(5); u32(3); u32(rationals)                                         // GPSLatitude
        u32(0)
        for (numerator, denominator) in [(46, 1), (19, 1), (1234, 100)] as [(UInt32, UInt32)] { u32(numerator); u32(denominator) }
        #expect(tiff.count == Int(text))
        tiff.append(contentsOf: description)
        let payload = Data("Exif".utf8) + Data([0, 0]) + tiff
        let length = UInt16(payload.count + 2)
        jpeg.insert(contentsOf: [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload, at: 2)

        // ImageMagick itself reads the position back: the metadata is real, not bytes it ignores.
        let tagged = directory.appendingPathComponent("tagged.jpg")
        try jpeg.write(to: tagged)
        let read = try run(UploadedPhoto.defaultConverter, [tagged.path, "-format", "%[EXIF:GPSLatitude]|%[EXIF:ImageDescription]", "info:"])
        #expect(read.contains("46/1") && read.contains(marker), "the EXIF is read by ImageMagick: \(read)")
        return jpeg
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// A priced cider, an unpriced perry (a draft) and a priced juice whose "image" is a web page.
    static func catalog(port: Int) -> String {
        let base = "http://127.0.0.1:\(port)"
        return """
        {
          "@context": {
            "dfc-b": "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#",
            "dfc-m": "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#"
          },
          "@graph": [
            {"@id": "https://shop.example/api/dfc/ep/1", "@type": "dfc-b:Enterprise", "dfc-b:name": "Cidrerie du Val",
             "dfc-b:supplies": ["https://shop.example/api/dfc/sp/cider", "https://shop.example/api/dfc/sp/perry", "https://shop.example/api/dfc/sp/juice"]},
            {"@id": "https://shop.example/api/dfc/sp/cider", "@type": "dfc-b:SuppliedProduct", "dfc-b:name": "Cidre fermier",
             "dfc-b:image": "\(base)/cidre.jpg", "dfc-b:referencedBy": "https://shop.example/api/dfc/sp/cider/ci"},
            {"@id": "https://shop.example/api/dfc/sp/cider/ci", "@type": "dfc-b:CatalogItem", "dfc-b:offeredThrough": "https://shop.example/api/dfc/sp/cider/offer"},
            {"@id": "https://shop.example/api/dfc/sp/cider/offer", "@type": "dfc-b:Offer",
             "dfc-b:hasPrice": {"@type": "dfc-b:Price", "dfc-b:value": "5.20", "dfc-b:VATrate": "20", "dfc-b:hasUnit": "dfc-m:Euro"}},
            {"@id": "https://shop.example/api/dfc/sp/perry", "@type": "dfc-b:SuppliedProduct", "dfc-b:name": "Poiré fermier",
             "dfc-b:image": "\(base)/poire.jpg"},
            {"@id": "https://shop.example/api/dfc/sp/juice", "@type": "dfc-b:SuppliedProduct", "dfc-b:name": "Jus de pomme",
             "dfc-b:image": "\(base)/jus.jpg", "dfc-b:referencedBy": "https://shop.example/api/dfc/sp/juice/ci"},
            {"@id": "https://shop.example/api/dfc/sp/juice/ci", "@type": "dfc-b:CatalogItem", "dfc-b:offeredThrough": "https://shop.example/api/dfc/sp/juice/offer"},
            {"@id": "https://shop.example/api/dfc/sp/juice/offer", "@type": "dfc-b:Offer",
             "dfc-b:hasPrice": {"@type": "dfc-b:Price", "dfc-b:value": "3", "dfc-b:VATrate": "5.5", "dfc-b:hasUnit": "dfc-m:Euro"}}
          ]
        }
        """
    }

    struct StoredPhoto: Decodable { var photo: Data?; var photo_type: String? }

    @Test(.enabled(if: FoodTests.converterInstalled, "needs ImageMagick (/usr/bin/convert, Debian package imagemagick)"))
    func catalogPhotosAreDownloadedOnceStrippedOfTheirPositionAndKeptForProductsAndDrafts() async throws {
        // setup: the other platform's server, serving a phone photo with its GPS position, and a web page as a JPEG.
        let jpeg = try Self.photoWithPosition()
        #expect(jpeg.range(of: Data(Self.marker.utf8)) != nil)
        let page = Data("<!doctype html><html><body>Pas une image, une page de connexion.</body></html>".utf8)
        let server = try await ByteServer.start(["/cidre.jpg": jpeg, "/poire.jpg": jpeg, "/jus.jpg": page])
        defer { server.stop() }
        try await withMaillage { app in
            app.safeFetchPolicy = .allowing([("127.0.0.1", server.port)])
            let shop = try await FoodTests().shop(app, shoppers: 1)
            let client = APIClient(app: app, token: try await Tokens.create(for: shop.producerUser, name: "dfc", on: app.db))
            let document = Self.catalog(port: server.port)

            // act: the catalog is imported twice, as a producer does after changing it elsewhere.
            let first = try await FoodDFCInteropTests.importing(client, shop, document)
            #expect(first.status == .ok, "\(first.body.string.prefix(600))")
            #expect(first.json["created"] as? Int == 2 && first.json["drafts"] as? Int == 1, "\(first.body.string.prefix(600))")
            let second = try await FoodDFCInteropTests.importing(client, shop, document)
            #expect(second.json["updated"] as? Int == 2 && second.json["drafts"] as? Int == 1, "\(second.body.string.prefix(600))")

            // check: each image fetched once, however many imports.
            #expect(server.count("/cidre.jpg") == 1 && server.count("/poire.jpg") == 1 && server.count("/jus.jpg") == 1,
                    "one download per image: \(server.requests)")
            let products = try await FoodCatalogStore.products(of: shop.producer.id, on: app.db)
            let cider = try #require(products.first { $0.name == "Cidre fermier" })
            let juice = try #require(products.first { $0.name == "Jus de pomme" })
            func stored(_ id: UUID) async throws -> StoredPhoto? {
                try await app.db.sql.select().column("photo").column("photo_type").from("food_products")
                    .where("id", .equal, SQLBind(id)).first(decoding: StoredPhoto.self)
            }
            let drafts = try await FoodDFCImport.drafts(of: shop.producer.id, on: app.db)
            let perry = try #require(drafts.first { $0.content.draft.name == "Poiré fermier" })
            #expect(perry.hasPhoto, "the draft keeps its photo for when it is priced")
            let perryPhoto = try await app.db.sql.select().column("photo").column("photo_type").from("food_product_drafts")
                .where("id", .equal, SQLBind(perry.id)).first(decoding: StoredPhoto.self)
            let ciderPhoto = try await stored(cider.id)
            for (name, photo) in [("product", ciderPhoto), ("draft", perryPhoto)] {
                let bytes = try #require(photo?.photo, "\(name): a photo is stored")
                #expect(photo?.photo_type == "image/jpeg" && !bytes.isEmpty, "\(name): \(String(describing: photo?.photo_type))")
                #expect(ImageHeader(bytes)?.format == .jpeg, "\(name): re-encoded as JPEG")
                #expect(bytes.range(of: Data(Self.marker.utf8)) == nil, "\(name): the EXIF description is gone")
                #expect(bytes.range(of: Data("Exif".utf8) + Data([0, 0])) == nil, "\(name): no EXIF segment at all, so no GPS position")
            }
            let junk = try await stored(juice.id)
            #expect(junk?.photo_type == nil && junk?.photo == nil, "a web page served as a JPEG leaves the product without a photo")

            // The shop shows the stored copy, never the other platform's address.
            let served = try await app.testing().sendRequest(.GET, "/c/\(shop.coop.slug)/food/photos/\(cider.id)")
            #expect(served.status == .ok && served.headers.first(name: .contentType) == "image/jpeg")
            #expect(Data(buffer: served.body) == ciderPhoto?.photo)
        }
    }
}

/// An HTTP/1.1 server on 127.0.0.1 serving fixed bytes by path (as image/jpeg, whatever they
/// are), counting the requests for each path; 404 elsewhere.
final class ByteServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let seen: NIOLockedValueBox<[String]>

    /// The paths requested, in order.
    var requests: [String] { seen.withLockedValue { $0 } }
    func count(_ path: String) -> Int { requests.filter { $0 == path }.count }

    private init(port: Int, channel: any Channel, seen: NIOLockedValueBox<[String]>) {
        self.port = port
        self.channel = channel
        self.seen = seen
    }

    static func start(_ files: [String: Data]) async throws -> ByteServer {
        let seen = NIOLockedValueBox<[String]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Handler(files: files, seen: seen))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw CancellationError() }
        return ByteServer(port: port, channel: channel, seen: seen)
    }

    func stop() { channel.close(promise: nil) }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let files: [String: Data]
        let seen: NIOLockedValueBox<[String]>
        var received = ""
        var answered = false

        init(files: [String: Data], seen: NIOLockedValueBox<[String]>) {
            self.files = files
            self.seen = seen
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            received += String(buffer: unwrapInboundIn(data))
            guard received.contains("\r\n\r\n") else { return }
            answered = true
            let path = received.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            seen.withLockedValue { $0.append(path) }
            var buffer = ByteBuffer()
            if let body = files[path] {
                buffer.writeString("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n")
                buffer.writeBytes(body)
            } else {
                buffer.writeString("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
