/** The airline tools in the original's ALL_TOOLS order (the same order as tools.json). */
import type { TauTool } from '../../tool.ts';
import { bookReservation } from './book_reservation.ts';
import { calculateTool } from './calculate.ts';
import { cancelReservation } from './cancel_reservation.ts';
import { getReservationDetails } from './get_reservation_details.ts';
import { getUserDetails } from './get_user_details.ts';
import { listAllAirports } from './list_all_airports.ts';
import { searchDirectFlight } from './search_direct_flight.ts';
import { searchOnestopFlight } from './search_onestop_flight.ts';
import { sendCertificate } from './send_certificate.ts';
import { think } from './think.ts';
import { transferToHumanAgents } from './transfer_to_human_agents.ts';
import { updateReservationBaggages } from './update_reservation_baggages.ts';
import { updateReservationFlights } from './update_reservation_flights.ts';
import { updateReservationPassengers } from './update_reservation_passengers.ts';

export const AIRLINE_TOOLS: readonly TauTool[] = [
  bookReservation,
  calculateTool,
  cancelReservation,
  getReservationDetails,
  getUserDetails,
  listAllAirports,
  searchDirectFlight,
  searchOnestopFlight,
  sendCertificate,
  think,
  transferToHumanAgents,
  updateReservationBaggages,
  updateReservationFlights,
  updateReservationPassengers,
];
