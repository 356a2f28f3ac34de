/** tau2 airline data model (src/tau2/domains/airline/data_model.py), field for field and in order. */
import { z } from 'zod';

export const FlightType = z.enum(['round_trip', 'one_way']);
export const CabinClass = z.enum(['business', 'economy', 'basic_economy']);
export const Insurance = z.enum(['yes', 'no']);
export const MembershipLevel = z.enum(['gold', 'silver', 'regular']);

export const AirportCode = z.object({ iata: z.string(), city: z.string() });
export const Name = z.object({ first_name: z.string(), last_name: z.string() });
export const Address = z.object({
  address1: z.string(),
  address2: z.string().nullable().default(null),
  city: z.string(),
  country: z.string(),
  state: z.string(),
  zip: z.string(),
});
export const Payment = z.object({ payment_id: z.string(), amount: z.int() });
export const CreditCard = z.object({
  source: z.literal('credit_card'),
  id: z.string(),
  brand: z.string(),
  last_four: z.string(),
});
export const GiftCard = z.object({ source: z.literal('gift_card'), id: z.string(), amount: z.number() });
export const Certificate = z.object({ source: z.literal('certificate'), id: z.string(), amount: z.number() });
export const PaymentMethod = z.union([CreditCard, GiftCard, Certificate]);
export const Passenger = z.object({ first_name: z.string(), last_name: z.string(), dob: z.string() });

const Seats = z.record(CabinClass, z.int());
export const FlightDateStatusAvailable = z.object({
  status: z.literal('available'),
  available_seats: Seats,
  prices: Seats,
});
export const FlightDataStatusOnTime = z.object({
  status: z.literal('on time'),
  estimated_departure_time_est: z.string(),
  estimated_arrival_time_est: z.string(),
});
export const FlightDataStatusFlying = z.object({
  status: z.literal('flying'),
  actual_departure_time_est: z.string(),
  estimated_arrival_time_est: z.string(),
});
export const FlightDateStatusLanded = z.object({
  status: z.literal('landed'),
  actual_departure_time_est: z.string(),
  actual_arrival_time_est: z.string(),
});
export const FlightDateStatusCancelled = z.object({ status: z.literal('cancelled') });
export const FlightDateStatusDelayed = z.object({
  status: z.literal('delayed'),
  estimated_departure_time_est: z.string(),
  estimated_arrival_time_est: z.string(),
});
export const FlightDateStatus = z.union([
  FlightDateStatusAvailable,
  FlightDateStatusLanded,
  FlightDateStatusCancelled,
  FlightDateStatusDelayed,
  FlightDataStatusFlying,
  FlightDataStatusOnTime,
]);
export const Flight = z.object({
  flight_number: z.string(),
  origin: z.string(),
  destination: z.string(),
  scheduled_departure_time_est: z.string(),
  scheduled_arrival_time_est: z.string(),
  dates: z.record(z.string(), FlightDateStatus),
});
export const DirectFlight = z.object({
  flight_number: z.string(),
  origin: z.string(),
  destination: z.string(),
  status: z.literal('available'),
  scheduled_departure_time_est: z.string(),
  scheduled_arrival_time_est: z.string(),
  date: z.string().nullable().default(null),
  available_seats: Seats,
  prices: Seats,
});
export const ReservationFlight = z.object({
  flight_number: z.string(),
  origin: z.string(),
  destination: z.string(),
  date: z.string(),
  price: z.int(),
});
export const FlightInfo = z.object({ flight_number: z.string(), date: z.string() });
export const User = z.object({
  user_id: z.string(),
  name: Name,
  address: Address,
  email: z.string(),
  dob: z.string(),
  payment_methods: z.record(z.string(), PaymentMethod),
  saved_passengers: z.array(Passenger),
  membership: MembershipLevel,
  reservations: z.array(z.string()),
});
export const Reservation = z.object({
  reservation_id: z.string(),
  user_id: z.string(),
  origin: z.string(),
  destination: z.string(),
  flight_type: FlightType,
  cabin: CabinClass,
  flights: z.array(ReservationFlight),
  passengers: z.array(Passenger),
  payment_history: z.array(Payment),
  created_at: z.string(),
  total_baggages: z.int(),
  nonfree_baggages: z.int(),
  insurance: Insurance,
  status: z.literal('cancelled').nullable().default(null),
});
export const FlightDB = z.object({
  flights: z.record(z.string(), Flight),
  users: z.record(z.string(), User),
  reservations: z.record(z.string(), Reservation),
});
