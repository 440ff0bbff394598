import type { SeededRandom } from "../random/seeded-random.js";

/**
 * What generated rosters are made of: names (from many countries, accents and apostrophes
 * included, as real rosters have), streets, school names, courses, and the two locales of
 * Microsoft's samples, US and UK, each with its places, grades, term dates and id formats.
 */

// biome-ignore format: a word list reads best as one line
export const firstNames = ["Ora", "Beulah", "Noah", "Sofia", "Liam", "Amara", "Mateo", "Zoë", "Aiden", "Priya", "José", "Chloé", "Ethan", "Hana", "Malik", "Isla", "Yusuf", "Freya", "Diego", "Aoife", "Kai", "Leila", "Oliver", "Siobhán", "Tomás", "Mia", "Arjun", "Grace", "Elijah", "Nia", "Björn", "Camille", "Darius", "Emily", "Felix", "Imani", "Jonah", "Keira", "Lucas", "Maya"];
// biome-ignore format: a word list reads best as one line
export const lastNames = ["Klein", "McMillan", "García", "Nguyen", "O'Brien", "Smith-Jones", "Patel", "Okafor", "Müller", "Johansson", "Kowalski", "Rossi", "Dubois", "Kim", "Haddad", "Fitzgerald", "Santos", "Novak", "Chen", "Murphy", "Ali", "Lindqvist", "MacDonald", "D'Angelo", "Yamamoto", "Adeyemi", "Hernández", "Schmidt", "Walker", "Ibrahim"];
// biome-ignore format: a word list reads best as one line
export const streets = ["Maple Avenue", "Fieldchat Road", "Carlisle Avenue", "Lake Way", "Pine Lane", "Vale Court", "Shore Drive", "Cedar Street", "Hill Road", "Park Lane"];
// biome-ignore format: a word list reads best as one line
export const schoolPlaces = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Adventure Works", "Lakeshore", "Riverside"];
export const courses = [
  { subject: "Math", name: "Algebra 1" },
  { subject: "English", name: "Language 1" },
  { subject: "Science", name: "Biology 1" },
  { subject: "History", name: "World History 1" },
  { subject: "Math", name: "Geometry" },
  { subject: "Science", name: "Chemistry" },
  { subject: "Arts", name: "Art & Design" },
  { subject: "Technology", name: "Programming 1" },
  { subject: "Languages", name: "Spanish 1" },
  { subject: "Health", name: "Physical Education 1" },
];

export interface Place {
  city: string;
  region: string;
  postalCode: (random: SeededRandom) => string;
  latitude: number;
  longitude: number;
}

export interface Locale {
  country: string;
  places: readonly Place[];
  schoolKind: string;
  grades: readonly [number, number];
  /** The sync year's leavers are in the last grade; a birthdate puts a leaver at 18. */
  leavingYear: number;
  termStart: readonly [number, number, number];
  termEnd: readonly [number, number, number];
  /** Dates as the locale writes them; both are formats the verifier accepts. */
  date: (year: number, month: number, day: number) => string;
  phone: (random: SeededRandom) => string;
  schoolStateId: (index: number) => string;
  schoolNcesId: (index: number) => string;
  personStateId: (index: number) => string;
  qualifications: readonly string[];
}

const digits = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => String(random.int(10))).join("");
const letters = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => "ABDEFGHJLNPQRSTUWXYZ"[random.int(20)]).join("");
const pad = (value: number) => String(value).padStart(2, "0");

export const us: Locale = {
  country: "US",
  places: [
    { city: "Redmond", region: "WA", postalCode: () => "98052", latitude: 47.674, longitude: -122.121 },
    { city: "Seattle", region: "WA", postalCode: () => "98105", latitude: 47.661, longitude: -122.303 },
    { city: "Bellevue", region: "WA", postalCode: () => "98004", latitude: 47.615, longitude: -122.201 },
    { city: "Kirkland", region: "WA", postalCode: () => "98033", latitude: 47.681, longitude: -122.209 },
    { city: "Sammamish", region: "WA", postalCode: () => "98074", latitude: 47.616, longitude: -122.036 },
  ],
  schoolKind: "High School",
  grades: [9, 12],
  leavingYear: 2026,
  termStart: [2025, 8, 27],
  termEnd: [2026, 6, 12],
  date: (year, month, day) => `${month}/${day}/${year}`,
  phone: (random) => `425-555-${digits(random, 4)}`,
  schoolStateId: (index) => `17${String(210 + index).padStart(3, "0")}`,
  schoolNcesId: (index) => `5303960${String(1000 + index).padStart(5, "0")}`,
  personStateId: (index) => String(7_000_000_000 + index),
  qualifications: ["B.Ed.", "M.Ed.", "M.A. Education", "B.Sc. Mathematics"],
};

export const uk: Locale = {
  country: "GB",
  places: [
    {
      city: "Leeds",
      region: "West Yorkshire",
      postalCode: (random) => `LS${random.between(1, 9)} ${random.int(10)}${letters(random, 2)}`,
      latitude: 53.8,
      longitude: -1.549,
    },
    {
      city: "Manchester",
      region: "Greater Manchester",
      postalCode: (random) => `M${random.between(1, 9)} ${random.int(10)}${letters(random, 2)}`,
      latitude: 53.481,
      longitude: -2.243,
    },
    {
      city: "Bristol",
      region: "Bristol",
      postalCode: (random) => `BS${random.between(1, 9)} ${random.int(10)}${letters(random, 2)}`,
      latitude: 51.455,
      longitude: -2.588,
    },
    {
      city: "York",
      region: "North Yorkshire",
      postalCode: (random) => `YO${random.between(1, 9)} ${random.int(10)}${letters(random, 2)}`,
      latitude: 53.96,
      longitude: -1.082,
    },
  ],
  schoolKind: "Academy",
  grades: [7, 13],
  leavingYear: 2026,
  termStart: [2025, 9, 3],
  termEnd: [2026, 7, 22],
  date: (year, month, day) => `${year}-${pad(month)}-${pad(day)}`,
  phone: (random) => `0113 496 0${digits(random, 3)}`,
  schoolStateId: (index) => String(137_000 + index),
  schoolNcesId: () => "",
  personStateId: (index) => `K${String(801_000_000_000 + index)}`,
  qualifications: ["PGCE", "QTS", "B.Ed.", "M.A. Education"],
};
