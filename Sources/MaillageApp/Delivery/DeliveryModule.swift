/// Deliveries by a cooperative's couriers. For now the route optimiser's command line
/// (`maillage optimise`, `OptimiseCommand`); the stores and the dispatch board come next.
struct DeliveryModule: MaillageModule {
    let name = "delivery"
}
