import MaillageCore
import Plot

/// A QR code as an inline SVG of dark squares on white, with the four-module quiet zone that
/// scanners need, and a name for screen readers (the secret is also on the page as text).
enum QRCodeSVG {
    static func node(_ code: QRCode, name: String, pixels: Int = 232) -> Node<HTML.BodyContext> {
        let quiet = 4
        let side = code.size + 2 * quiet
        var path = ""
        for (y, row) in code.modules.enumerated() {
            for (x, dark) in row.enumerated() where dark { path += "M\(x + quiet) \(y + quiet)h1v1h-1z" }
        }
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\" width=\"\(pixels)\" height=\"\(pixels)\" viewBox=\"0 0 \(side) \(side)\" "
            + "role=\"img\" aria-label=\"\(Charts.escape(name))\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\"\(path)\"/></svg>"
        return .div(.class("qr-box"), .raw(svg))
    }
}
