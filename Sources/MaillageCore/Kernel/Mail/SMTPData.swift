/// What an SMTP client sends after `DATA` is answered with 354 (RFC 5321 §4.5.2): the message
/// with CRLF line ends, each line that starts with "." given a second one (the server takes one
/// away), then the line "." alone that ends the message.
public enum SMTPData {
    public static func transmission(of message: [UInt8]) -> [UInt8] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), dot = UInt8(ascii: ".")
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == cr || byte == lf {
                // CRLF, a lone LF or a lone CR: each ends one line, written as CRLF.
                if byte == cr, index + 1 < message.count, message[index + 1] == lf { index += 1 }
                output += [cr, lf]
                atLineStart = true
            } else {
                if atLineStart, byte == dot { output.append(dot) }
                output.append(byte)
                atLineStart = false
            }
            index += 1
        }
        if !atLineStart { output += [cr, lf] }
        output += [dot, cr, lf]
        return output
    }
}
