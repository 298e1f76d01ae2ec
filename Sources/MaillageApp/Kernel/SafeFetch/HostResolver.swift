#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MaillageCore
import NIOConcurrencyHelpers
import NIOPosix

/// Looks a host name up with the system resolver (`getaddrinfo`), the one lookup a fetch makes:
/// the fetcher checks every address returned and connects to one of those, never asking again.
enum HostResolver {
    /// Every address of `name`, IPv4 and IPv6. The lookup blocks a thread, so it runs on NIO's
    /// pool, and a cancelled caller (the fetch's time is up) stops waiting for it at once.
    @Sendable static func system(_ name: String) async throws -> [IPAddress] {
        let pending = PendingLookup()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                pending.wait(continuation)
                NIOThreadPool.singleton.submit { state in
                    guard case .active = state else { pending.finish(.failure(CancellationError())); return }
                    pending.finish(Result { try lookUp(name) })
                }
            }
        } onCancel: {
            pending.finish(.failure(CancellationError()))
        }
    }

    static func lookUp(_ name: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else {
            throw FetchRefusal.unreachable(host: name)
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry?.pointee {
            if let socketAddress = current.ai_addr {
                switch current.ai_family {
                case AF_INET:
                    let bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                case AF_INET6:
                    let bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                default:
                    break
                }
            }
            entry = current.ai_next
        }
        // One address per spelling: getaddrinfo repeats each for every socket type it could serve.
        var seen: Set<IPAddress> = []
        return addresses.filter { seen.insert($0).inserted }
    }
}

/// A lookup's continuation, resumed once: by the result, or by the caller giving up first.
private final class PendingLookup: Sendable {
    private enum State { case idle, waiting(CheckedContinuation<[IPAddress], any Error>), done(Result<[IPAddress], any Error>?) }
    private let state = NIOLockedValueBox<State>(.idle)

    func wait(_ continuation: CheckedContinuation<[IPAddress], any Error>) {
        let early: Result<[IPAddress], any Error>? = state.withLockedValue { state in
            switch state {
            case .idle:
                state = .waiting(continuation)
                return nil
            case .done(let result):
                state = .done(nil)
                return result ?? .failure(CancellationError())
            case .waiting:
                return nil
            }
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ result: Result<[IPAddress], any Error>) {
        let waiting: CheckedContinuation<[IPAddress], any Error>? = state.withLockedValue { state in
            switch state {
            case .idle:
                // Cancelled before the continuation was handed over: `wait` resumes it.
                state = .done(result)
                return nil
            case .waiting(let continuation):
                state = .done(nil)
                return continuation
            case .done:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
