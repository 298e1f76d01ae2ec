import Foundation
@testable import MaillageApp
import MaillageCore
import Testing

/// The kept product list of a shopfront: fresh for a second, then renewed by one visitor while
/// the others are still served the list of the second before.
@Suite("Shopfront listing kept between visitors")
struct ShopfrontListingTests {
    let key = ShopfrontListing.Key(cycle: UUID(), query: .init(text: "", page: 1), language: .fr, canOrder: false)
    let t0 = Date(timeIntervalSince1970: 1_900_000_000)
    /// A store of its own: the shared one is emptied by other suites' product changes.
    let store = ShopfrontListing.Store()

    @Test func aFreshListingIsServedAsKept() {
        store.remember(.init(html: "v1", total: 3), for: key, now: t0)
        #expect(store.cached(key, now: t0.addingTimeInterval(0.5))?.html == "v1")
    }

    @Test func onceExpiredOneVisitorRendersItAgainWhileTheOthersGetTheKeptOne() {
        store.remember(.init(html: "v1", total: 3), for: key, now: t0)
        let later = t0.addingTimeInterval(ShopfrontListing.lifetime + 0.1)
        #expect(store.cached(key, now: later) == nil, "the first visitor after expiry renders afresh")
        for _ in 0..<10 {
            #expect(store.cached(key, now: later)?.html == "v1", "the others are not made to render it too")
        }
        store.remember(.init(html: "v2", total: 4), for: key, now: later)
        #expect(store.cached(key, now: later)?.html == "v2")
    }

    @Test func aFailedRefreshLetsTheNextVisitorTry() {
        store.remember(.init(html: "v1", total: 3), for: key, now: t0)
        let later = t0.addingTimeInterval(ShopfrontListing.lifetime + 0.1)
        #expect(store.cached(key, now: later) == nil)
        store.refreshFailed(key)
        #expect(store.cached(key, now: later) == nil, "nobody is renewing it any more: the next visitor does")
    }
}
