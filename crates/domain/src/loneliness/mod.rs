//! Loneliness-sign registration (registrering af ensomhedstegn), following
//! Sundhedsstyrelsen's pejlemærker for home care: detection (signs and the
//! UCLA-3 short scale), wishes and barriers, the next step, and a traffic-light
//! level with follow-up like the ændringsskema of early detection.

pub mod codes;
pub mod level;
pub mod overview;
pub mod policy;
pub mod registration;

pub use codes::{Barrier, NextStepKind, Sign, Wish};
pub use level::{Level, suggest_level};
pub use overview::{FollowUpState, OverviewRow, current_registrations, not_screened, overview};
pub use policy::{LonelinessPolicy, PolicyError};
pub use registration::{LonelinessRegistration, NextStep, UCLA3_ITEMS_DA, Ucla3};
