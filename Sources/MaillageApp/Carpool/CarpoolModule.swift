import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Carpooling without commission (like Mobicoop): ads as driver or passenger, punctual or
/// regular, between communes and the cooperative's relay points; a search that matches by detour;
/// asks that never overbook a car; communities, alerts, and optional text reviews.
struct CarpoolModule: MaillageModule {
    let name = "carpool"
    var migrations: [any Migration] { [CreateCarpool()] }
    var threadKinds: [ThreadKind] { [CarpoolThread.kind] }

    func pages(_ routes: any RoutesBuilder) {
        CarpoolPages.routes(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        CarpoolAPI.routes(routes)
    }

    var dataRegister: [TableRegister] { CarpoolRegister.tables }
}
