//! The fixed lists of a registration (signs, wishes, barriers, next steps).
//! Each entry has a stable code (what is stored and synced) and Danish and
//! English labels. A code that is not on the list is kept as `Unknown(code)`
//! so validation can reject it by name instead of failing to parse.

/// Defines a list: variants with their code and labels, plus `Unknown(String)`.
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $da:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A code that is not on the list (rejected by validation).
            Unknown(String),
        }

        impl $name {
            /// Every entry on the list, in the order forms show them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code.
            pub fn code(&self) -> &str {
                match self {
                    $($name::$variant => $code,)+
                    $name::Unknown(code) => code,
                }
            }

            /// The Danish label.
            pub fn label_da(&self) -> &str {
                match self {
                    $($name::$variant => $da,)+
                    $name::Unknown(code) => code,
                }
            }

            /// The English label.
            pub fn label_en(&self) -> &str {
                match self {
                    $($name::$variant => $en,)+
                    $name::Unknown(code) => code,
                }
            }

            /// Whether the code is on the list.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        /// In the API description: a string, one of the list's codes.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let object = utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .build();
                utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::Object(object))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl From<String> for $name {
            fn from(code: String) -> Self {
                match code.as_str() {
                    $($code => $name::$variant,)+
                    _ => $name::Unknown(code),
                }
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.code().to_string()
            }
        }
    };
}

code_list! {
    /// Signs of loneliness a care worker can observe (pejlemærke 1, detection).
    Sign {
        /// Withdrawn, passive.
        Withdrawn = "withdrawn", "Virker indesluttet eller trukket ind i sig selv", "Withdrawn";
        /// Turns down invitations or offers.
        DeclinesInvitations = "declines_invitations", "Siger nej til invitationer og tilbud", "Turns down invitations";
        /// Neglected hygiene or appearance.
        NeglectedSelfCare = "neglected_self_care", "Forsømt hygiejne eller udseende", "Neglected hygiene or appearance";
        /// Changed eating or sleeping habits.
        ChangedEatingOrSleep = "changed_eating_or_sleep", "Ændret appetit eller søvn", "Changed eating or sleep";
        /// Recently lost someone close.
        RecentLoss = "recent_loss", "Har for nylig mistet en nærtstående", "Recent loss of someone close";
        /// Few or no visitors.
        FewVisitors = "few_visitors", "Få eller ingen besøg", "Few or no visitors";
        /// Says they feel lonely.
        SaysLonely = "says_lonely", "Siger selv, at hun/han er ensom", "Says they feel lonely";
        /// Keeps people at a distance.
        KeepsDistance = "keeps_distance", "Holder andre på afstand", "Keeps people at a distance";
        /// Cares for a sick spouse.
        CaringForSpouse = "caring_for_spouse", "Passer en syg ægtefælle", "Caring for a sick spouse";
        /// Recently moved.
        RecentlyMoved = "recently_moved", "Er flyttet for nylig", "Recently moved";
        /// Something else (described in text).
        Other = "other", "Andet", "Other";
    }
}

code_list! {
    /// Kinds of activity the citizen would like to take part in (pejlemærke 2).
    Wish {
        /// Eating together (spisecafé).
        EatingTogether = "eating_together", "Spise sammen med andre", "Eating with others";
        /// Exercise or a walk.
        Exercise = "exercise", "Motion og gåture", "Exercise and walks";
        /// Trips outdoors (Cykling uden alder, nature).
        Outings = "outings", "Ture ud i naturen", "Outings";
        /// Culture: cinema, music, library.
        Culture = "culture", "Kultur: film, musik, bibliotek", "Culture: cinema, music, library";
        /// Cards, board games, bingo.
        Games = "games", "Kort, spil og banko", "Cards, games, bingo";
        /// Creative work, handicraft.
        Creative = "creative", "Kreativt og håndarbejde", "Creative work and crafts";
        /// Church or a congregation.
        Church = "church", "Kirke og menighed", "Church";
        /// A visiting friend to talk with.
        Conversation = "conversation", "En at snakke med (besøgsven)", "Someone to talk with";
        /// Something else.
        Other = "other", "Andet", "Other";
    }
}

code_list! {
    /// What stands in the way of taking part (pejlemærke 2).
    Barrier {
        /// Transport.
        Transport = "transport", "Transport", "Transport";
        /// Needs care during the activity.
        NeedsCare = "needs_care", "Har brug for pleje under aktiviteten", "Needs care during the activity";
        /// Mobility.
        Mobility = "mobility", "Gangbesvær", "Mobility";
        /// Hearing or sight.
        HearingOrSight = "hearing_or_sight", "Hørelse eller syn", "Hearing or sight";
        /// Does not want to go alone.
        NotAlone = "not_alone", "Vil ikke gå alene", "Does not want to go alone";
        /// Economy.
        Economy = "economy", "Økonomi", "Economy";
        /// Only possible evenings or weekends.
        EveningsWeekends = "evenings_weekends", "Kun muligt aften eller weekend", "Only evenings or weekends";
        /// Something else.
        Other = "other", "Andet", "Other";
    }
}

code_list! {
    /// What happens next (pejlemærke 3).
    NextStepKind {
        /// An activity with a companion from home care (klippekort).
        CompanionActivity = "companion_activity", "Aktivitet med ledsager fra hjemmeplejen", "Activity with a home-care companion";
        /// A visiting friend.
        VisitingFriend = "visiting_friend", "Besøgsven", "Visiting friend";
        /// A volunteer.
        Volunteer = "volunteer", "Frivillig", "Volunteer";
        /// The preventive team.
        PreventiveTeam = "preventive_team", "Forebyggende team", "Preventive team";
        /// A talk with the contact person.
        ContactPerson = "contact_person", "Samtale med kontaktperson", "Talk with the contact person";
        /// Something else.
        Other = "other", "Andet", "Other";
    }
}

#[cfg(test)]
#[path = "codes_tests.rs"]
mod tests;
